/**
 * What Runestone's own packages share with each other and users should not touch: the rules for identifiers and
 * text every package checks ({@link dev.runestone.internal.WellFormedText}), and the hand-over of the subscription
 * package's constructors to the store ({@link dev.runestone.internal.SubscriptionAccess}). Public only for that
 * reason: nothing here carries a compatibility promise, and it may change in any release. Nothing outside core may
 * use it; an architecture test enforces that.
 */
@NullMarked
package dev.runestone.internal;

import org.jspecify.annotations.NullMarked;

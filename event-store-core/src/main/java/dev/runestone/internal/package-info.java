/**
 * Implementation details shared between Runestone's packages. Public only for that reason: nothing here carries a
 * compatibility promise, and it may change in any release.
 */
@NullMarked
package dev.runestone.internal;

import org.jspecify.annotations.NullMarked;

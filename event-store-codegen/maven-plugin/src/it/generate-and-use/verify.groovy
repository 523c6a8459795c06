// Checks the three builds of invoker.properties: generate and test, rebuild with nothing to do, pick up edits.
def log = new File(basedir, 'build.log').text
def generated = new File(basedir, 'target/generated-sources/runestone/com/example/users/events')

assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')

// Build 1 wrote all seven files; build 2 found every one of them up to date, so javac had nothing to do.
assert log.contains('Generated 5 event types into target/generated-sources/runestone: 7 written, 0 unchanged, 0 deleted')
assert log.contains('Generated 5 event types into target/generated-sources/runestone: 0 written, 7 unchanged, 0 deleted')
assert log.contains('Nothing to compile - all classes are up to date')

// Build 1 wrote the lock beside the configs, one line per new type; build 2 found it up to date.
def lock = new File(basedir, 'src/main/events/runestone.lock.json')
assert lock.exists()
assert lock.text.contains('"user:roles-set"') && lock.text.endsWith('}\n')
assert log.count('Updated src/main/events/runestone.lock.json; review and commit it:') == 1
assert log.contains('  src/main/events/user-created.json#/event: "user:created" version 1 [type-added]: adds the event type')

// Build 3 read the edited configs: the changed event was rewritten, the removed ones deleted, the rest left alone.
assert log.contains('Generated 2 event types into target/generated-sources/runestone: 3 written, 1 unchanged, 3 deleted')
assert new File(generated, 'UserEmailSet.java').text.contains('the old one stops working at once')
assert new File(generated, 'UserCreated.java').exists()
assert !new File(generated, 'UserRolesSet.java').exists()
assert !new File(generated, 'UserActivated.java').exists()
return true

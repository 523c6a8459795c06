// Build 2 fails to compile the implementation without the new step; build 3 compiles the complete one, reads
// version 1 JSON through it, and finds the lock up to date.
def log = new File(basedir, 'build.log').text
def generated = new File(basedir, 'target/generated-sources/runestone/com/example/users/events')
def lock = new File(basedir, 'src/main/events/runestone.lock.json')

assert log.contains('src/events-v2/user-created.json#/event/version: "user:created" version 2 [version-added]: adds version 2; version 1 stays locked as it is, read through UserCreatedUpcaster.fromV1')
assert log.contains('com.example.users.IncompleteUpcasters is not abstract and does not override abstract method fromV1(com.example.users.events.versions.UserCreatedV1) in com.example.users.events.UserCreatedUpcaster')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
assert log.contains('src/main/events/runestone.lock.json is up to date with the event configs (2 event types)')

assert new File(generated, 'versions/UserCreatedV1.java').exists()
assert new File(generated, 'UserCreatedUpcaster.java').text.contains('UserCreated fromV1(UserCreatedV1 event);')
assert new File(generated, 'UserEventUpcasters.java').exists()
assert lock.text.contains('"2": {')
return true

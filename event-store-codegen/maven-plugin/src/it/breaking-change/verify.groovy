// Build 2 must fail on the edited configs and list every breaking change at once, each with its file, JSON pointer,
// rule and fix; the compatible change beside them (a new optional phone) is no reason to fail and is not listed.
def log = new File(basedir, 'build.log').text
def lock = new File(basedir, 'src/main/events/runestone.lock.json')

assert log.contains('Updated src/main/events/runestone.lock.json; review and commit it:')
assert log.contains('The event configs have 5 problems:')
def fix = '; bump "version" to 2 and implement UserCreatedUpcaster.fromV1'
[
    'src/events-edited/user-created.json#/event/data/name/minLength: breaking change to "user:created" version 1 [minLength-raised]: adds "minLength" 1' + fix,
    'src/events-edited/user-created.json#/event/data/nickname: breaking change to "user:created" version 1 [property-required]: makes the optional property "nickname" required' + fix,
    'src/events-edited/user-created.json#/event/data/nickname/type: breaking change to "user:created" version 1 [null-removed]: no longer admits null' + fix,
    'src/events-edited/user-created.json#/event/data/role/enum: breaking change to "user:created" version 1 [enum-value-removed]: removes the enum value "member"' + fix,
    'src/main/events/runestone.lock.json#/events/user:deleted: breaking change [type-removed]: the lock holds "user:deleted", but no config declares it, and events of it may be stored; restore its config, or retire the type with {"event": {"type": "user:deleted", "retired": true}}',
].each { expected -> assert log.contains(expected) : "build.log lacks: " + expected }
assert !log.contains('phone')

// A failed build leaves the lock as the first build wrote it.
assert lock.text.contains('"user:deleted"') && !lock.text.contains('minLength')
return true

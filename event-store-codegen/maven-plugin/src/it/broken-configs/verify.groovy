// The build must fail and report every problem of every config at once, each with its file and JSON pointer.
def log = new File(basedir, 'build.log').text

assert log.contains('The event configs have 9 problems:')
assert !log.contains('/target/it/broken-configs/src') : 'paths are shown relative to the project'
[
    'src/main/events/more/duplicates.json#/events/2/data/type: a value must have one type, optionally with "null"; [string, integer] would need a union, which Java records cannot express',
    'src/main/events/more/duplicates.json#/events/3/type: the types "user:renamed" and "user-renamed" both map to the class UserRenamed (see more/duplicates.json#/events/2); set "x-java-type" on one of them',
    'src/main/events/user-created.json#/event/type: duplicate event type "user:created"; it is already declared in more/duplicates.json#/events/0',
    'src/main/events/user-created.json#/event/data/name/$ref: "$ref" is not supported; write the schema inline',
    'src/main/events/user-created.json#/event/data/first-name: the property name "first-name" is not a usable Java name; map it with "x-java-name", e.g. "x-java-name": "firstName"',
    'src/main/events/user-created.json#/event/data/age/minLength: "minLength" does not apply to an integer; it applies to strings',
    'src/main/events/user-created.json#/event/data/contact/oneOf: "oneOf" is not supported: each schema must map to one Java type',
    'src/main/events/user-created.json#/event/data/tags: an array needs "items", the schema of its elements',
    'src/main/events/user-deleted.json#/event/data/reason/type: malformed JSON at line 5, column 37: Unexpected character',
].each { expected -> assert log.contains(expected) : "build.log lacks: " + expected }

// Nothing is generated from configs with problems, and the lock is not written.
assert !new File(basedir, 'target/generated-sources/runestone/com/example/broken').exists()
assert !new File(basedir, 'src/main/events/runestone.lock.json').exists()
return true

// Build 1 writes the lock and checks it; build 2, under CI with edited configs, leaves the lock alone and fails the
// check listing each difference; build 3 updates the lock outside CI; build 4, under CI again, passes.
def log = new File(basedir, 'build.log').text
def lock = new File(basedir, 'src/main/events/runestone.lock.json')

assert log.contains('src/main/events/runestone.lock.json is up to date with the event configs (1 event type)')

assert log.contains('[WARNING] src/main/events/runestone.lock.json is not up to date with the event configs, and a build under CI does not write it; runestone:check will fail:')
assert log.contains('src/main/events/runestone.lock.json is not up to date with the event configs (2 differences):')
[
    'src/events-edited/user-created.json#/event/data/nickname: "user:created" version 1 [optional-property-added]: adds the optional property "nickname"',
    'src/events-edited/user-email-set.json#/event: "user:email-set" version 1 [type-added]: adds the event type',
    'Build outside CI (mvn generate-sources) to update it, review the change, and commit src/main/events/runestone.lock.json',
].each { expected -> assert log.contains(expected) : "build.log lacks: " + expected }

assert log.contains('src/main/events/runestone.lock.json is up to date with the event configs (2 event types)')
assert lock.text.contains('"nickname"') && lock.text.contains('"user:email-set"')
return true

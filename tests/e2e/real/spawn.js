// spawn.js - node's child_process as a program uses it: several children
// at once through spawn/exec/execFile (libuv's SIGCHLD handler, then
// waitpid(pid, WNOHANG) for each child it has), one killed by SIGTERM,
// then spawnSync and execSync (a blocking loop of their own).
'use strict';
const cp = require('child_process');
let left = 0;

function done() {
	if (--left === 0)
		finish();
}

function run(cmd, args) {
	left++;
	const c = cp.spawn(cmd, args, { stdio: 'ignore' });
	c.on('exit', done);
	return c;
}

function finish() {
	cp.spawnSync('sh', ['-c', 'exit 6']);
	try { cp.execSync('exit 0'); } catch (e) { /* its status is the point */ }
}

run('sh', ['-c', 'exit 3']);
run('sleep', ['0.05']);
run('true', []);
const k = run('sleep', ['5']);
setTimeout(() => k.kill('SIGTERM'), 50);
left++;
cp.exec('echo hi; exit 2', () => done());
left++;
cp.execFile('true', [], () => done());

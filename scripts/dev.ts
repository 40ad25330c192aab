/**
 * `npm run dev`: the API server (built once, as `npm start` runs it) and Vite's dev server for the
 * workspace, which reloads on every edit of web/src and forwards the API's paths to the server
 * (web/scripts/dev-proxy.ts). Open http://localhost:5173/app. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const port = process.env.PORT ?? '3000';
const children: ChildProcess[] = [
  spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], { stdio: 'inherit', env: { ...process.env, PORT: port } }),
  spawn('npm', ['run', 'dev', '-w', 'web'], { stdio: 'inherit', env: { ...process.env, CELLULE_API_URL: `http://localhost:${port}` } }),
];
let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

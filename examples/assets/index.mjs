// The files every example page shares, served under /assets/: one stylesheet, the favicon, the page
// helpers every page loads first (page.js: `$` and the status pill's `setStatus`) and the chat pages'
// client logic (chat-client.mjs).
// `serveAssets(req, res)` answers a request for one of them and returns true, or returns false
// so the example's own handler (or its framework) goes on. `findAsset(path)` gives a file's body and
// type to a framework that answers with its own reply object.
import { readFileSync } from 'node:fs';

const types = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8' };
const files = new Map(
  ['switchyard.css', 'favicon.svg', 'page.js', 'chat-client.mjs'].map((name) => [
    `/assets/${name}`,
    { body: readFileSync(new URL(`./${name}`, import.meta.url)), type: types[name.slice(name.lastIndexOf('.'))] },
  ]),
);

/** The absolute path of the folder that holds the shared files, for frameworks' own static handlers. */
export const assetsDir = new URL('.', import.meta.url).pathname;

/** The shared file at `url` (`/assets/…`, or `/favicon.ico` for the svg): `{ body, type }`, or undefined. */
export function findAsset(url) {
  const path = (url ?? '').split('?')[0];
  return files.get(path === '/favicon.ico' ? '/assets/favicon.svg' : path);
}

/** Answers GET/HEAD /assets/<file> for the shared files (and /favicon.ico with the svg). */
export function serveAssets(req, res) {
  const file = findAsset(req.url);
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, 'Cache-Control': 'public, max-age=300' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
}

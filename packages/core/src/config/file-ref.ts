import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, relative, resolve } from 'node:path';

/** The largest file `${file:…}` reads, in bytes. */
export const MAX_FILE_REF_BYTES = 1024 * 1024;

/**
 * The environment variable that confines `${file:…}`: a list of folders (separated by `:`, `;` on
 * Windows) outside which no file may be read, symbolic links resolved. Unset, a `${file:…}` may
 * name any file the process can read, as a config file is trusted like the command line.
 */
export const FILE_ROOTS_ENV = 'MUSTER_FILE_ROOTS';

/** The outcome of reading a `${file:…}`: its text, or why it could not be read (never its content). */
export type FileRefResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** True when `path` is `root` or inside it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Reads the file a `${file:PATH}` names (relative to `baseDir`): a regular file of at most
 * {@link MAX_FILE_REF_BYTES}, inside one of the {@link FILE_ROOTS_ENV} folders when that is set.
 * A trailing newline is dropped.
 */
export function readFileRef(file: string, baseDir: string, env: NodeJS.ProcessEnv): FileRefResult {
  const full = isAbsolute(file) ? file : resolve(baseDir, file);
  let real: string;
  try {
    real = realpathSync(full);
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
  const roots = (env[FILE_ROOTS_ENV] ?? '').split(delimiter).filter((r) => r !== '');
  if (roots.length > 0) {
    const allowed = roots.some((root) => {
      try {
        return inside(realpathSync(resolve(baseDir, root)), real);
      } catch {
        return false;
      }
    });
    if (!allowed) return { ok: false, reason: `outside the folders ${FILE_ROOTS_ENV} allows` };
  }
  let fd: number;
  try {
    // A FIFO or device is refused before opening it (opening a FIFO would wait for a writer).
    const stat = statSync(real);
    if (stat.isDirectory()) return { ok: false, reason: 'EISDIR' };
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > MAX_FILE_REF_BYTES) return { ok: false, reason: `larger than ${MAX_FILE_REF_BYTES} bytes` };
    // Read to the end, at most one byte past the limit: a file that grows while read is still
    // bounded, and a file whose size says 0 while it holds text (/proc, /sys) is read whole.
    const buffer = Buffer.alloc(MAX_FILE_REF_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_FILE_REF_BYTES) return { ok: false, reason: `larger than ${MAX_FILE_REF_BYTES} bytes` };
    return { ok: true, text: buffer.toString('utf8', 0, length).replace(/\r?\n$/, '') };
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    closeSync(fd);
  }
}

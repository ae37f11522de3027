import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** At most this many bytes are read from a web config file. */
export const MAX_WEB_CONFIG_BYTES = 1024 * 1024;
/** At most this many bytes are read from a certificate, key or CA file (a large CA bundle fits). */
export const MAX_PEM_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Reads a regular file of at most `maxBytes`. Anything else is refused before it is read: a
 * FIFO (opened without waiting for a writer), a device such as `/dev/zero` (a symlink to which
 * would otherwise be read until memory runs out), a folder, or a file past the bound.
 * @throws an `Error` with `code` (`ENOENT`, `EACCES`, `EISDIR`, `ENOTREG`, `EFBIG`, …).
 */
export function readBoundedFile(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw fsError('EISDIR', 'is a folder');
    if (!stat.isFile()) throw fsError('ENOTREG', 'not a regular file');
    if (stat.size > maxBytes) throw fsError('EFBIG', `larger than ${maxBytes} bytes`);
    // The file may grow between fstat and read: never read past the bound.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw fsError('EFBIG', `larger than ${maxBytes} bytes`);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

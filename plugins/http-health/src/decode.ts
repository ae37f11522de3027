import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import { type BrotliDecompress, createBrotliDecompress, createUnzip, type Unzip } from 'node:zlib';

/** What a check asks for: the encodings {@link decodedBody} reads. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** The decompressor for a response, or `undefined` when its body is read as it came. */
function decoderFor(response: IncomingMessage, method: string): Unzip | BrotliDecompress | undefined {
  if (method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) return undefined;
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') return createUnzip();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}

/**
 * The response body as the server meant it: gzip and deflate (zlib) bodies inflated, brotli
 * decompressed, anything else (no encoding, or one not listed in {@link ACCEPT_ENCODING}) as it
 * came. A HEAD answer, a 204 and a 304 have no body to decode, and an empty body decodes to
 * nothing; a body that is not what its encoding says, or is cut short, fails the read with zlib's
 * error (`Z_DATA_ERROR`, `Z_BUF_ERROR`). Leaving the loop early destroys the response too.
 */
export async function* decodedBody(response: IncomingMessage, method: string): AsyncGenerator<Buffer> {
  const decoder = decoderFor(response, method);
  if (decoder === undefined) {
    yield* response as AsyncIterable<Buffer>;
    return;
  }
  // A failure on either side destroys both; the error reaches the loop below.
  pipeline(response, decoder, () => {});
  try {
    yield* decoder as AsyncIterable<Buffer>;
  } catch (err) {
    // zlib calls an input that ended before a stream began "unexpected end of file": with no
    // byte at all, that is an empty body.
    if (decoder.bytesWritten === 0 && (err as { code?: unknown }).code === 'Z_BUF_ERROR') return;
    throw err;
  }
}

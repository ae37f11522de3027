import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { constants, createBrotliDecompress, createUnzip } from 'node:zlib';

/** What a check asks for: the encodings {@link decodedBody} reads. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * The response body as the server meant it: gzip and deflate (zlib) bodies inflated, brotli
 * decompressed, anything else (no encoding, or one not listed in {@link ACCEPT_ENCODING}) as it
 * came. An empty or cut-short body decodes to what it holds (as browsers and got read it); a body
 * that is not what its encoding says fails its read with zlib's error. A HEAD answer, a 204 and
 * a 304 have no body to decode. Destroying the returned stream destroys the response too.
 */
export function decodedBody(response: IncomingMessage, method: string): Readable {
  if (method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) return response;
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  let decoder: Readable & NodeJS.WritableStream;
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') decoder = createUnzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
  else if (encoding === 'br') decoder = createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH });
  else return response;
  // A failure on either side destroys both; the error reaches whoever reads the decoder.
  return pipeline(response, decoder, () => {});
}

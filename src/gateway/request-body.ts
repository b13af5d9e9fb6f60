/**
 * Reads a request body up to the cap (design.md decision 1). A body announced or found to be
 * larger is not read any further: the caller answers 60008 with `Connection: close`, and Node
 * closes the socket once the answer is out instead of draining the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export type BodyRead = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large' } | { kind: 'aborted' }

export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  expectsContinue: boolean,
): Promise<BodyRead> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'too-large' })
  // Expect: 100-continue is answered only for a body that will be read (RFC 9110 §10.1.1).
  if (expectsContinue) res.writeContinue()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (result: BodyRead) => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onAbort)
      req.off('aborted', onAbort)
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.pause()
        done({ kind: 'too-large' })
      } else chunks.push(chunk)
    }
    const onEnd = () =>
      done({ kind: 'ok', bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) })
    const onAbort = () => done({ kind: 'aborted' })
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onAbort)
    req.on('aborted', onAbort)
  })
}

/**
 * Pooled connections that cannot take the process down. pg's pool listens for `'error'` only on
 * idle clients; a client it has handed out emits `'error'` with no listener when its server goes
 * away (a terminated backend, a restart, a failover), which would end the process. Every checkout
 * here listens for as long as the client is out, remembers that the connection died, and gives a
 * dead connection back to be destroyed rather than reused.
 */
import type pg from 'pg'

export interface Checkout {
  readonly client: pg.PoolClient
  /** The error the connection emitted while checked out, if any: it is dead. */
  readonly lost: Error | undefined
  /** Returns the client; a dead or suspect one (`destroy`) is closed instead of pooled. */
  release(destroy: boolean): void
}

/**
 * A client from the pool, listening for errors from the moment it is handed out. The callback
 * form matters: the pool stops listening before it hands a client over, and a promise would give
 * it to us a microtask later, after the rest of the network chunk that made it ready has been
 * parsed; a FATAL right behind that ReadyForQuery (a backend terminated as it connected) would
 * then be emitted with no listener.
 */
export function checkout(pool: pg.Pool): Promise<Checkout> {
  return new Promise((resolve, reject) => {
    pool.connect((err, client) => {
      if (err !== undefined && err !== null) return reject(err)
      resolve(listening(client!))
    })
  })
}

function listening(client: pg.PoolClient): Checkout {
  let lost: Error | undefined
  const onError = (e: Error) => {
    lost ??= e
  }
  client.on('error', onError)
  let released = false
  return {
    client,
    get lost() {
      return lost
    },
    release(destroy) {
      if (released) return
      released = true
      // Kept until the pool takes the client back: a late error of a destroyed client lands here.
      if (destroy || lost !== undefined) client.release(lost ?? true)
      else {
        client.removeListener('error', onError)
        client.release()
      }
    },
  }
}

/**
 * SQLSTATEs that mean the server ended the session: admin_shutdown (a terminated backend, a fast
 * or immediate stop), crash_shutdown, cannot_connect_now (starting or stopping), and the
 * connection-exception class 08.
 */
const SESSION_ENDED = new Set(['57P01', '57P02', '57P03'])
const SOCKET_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN'])

/** The connection is gone: nothing more can be sent on it, and the server rolled back what was open. */
export function isConnectionLoss(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false
  const code = (e as { code?: unknown }).code
  if (
    typeof code === 'string' &&
    (SESSION_ENDED.has(code) || code.startsWith('08') || SOCKET_ERRORS.has(code))
  ) {
    return true
  }
  const message = (e as { message?: unknown }).message
  return (
    typeof message === 'string' &&
    (message.startsWith('Connection terminated') || message.includes('not queryable'))
  )
}

/**
 * pg's own client-side bound (`query_timeout`) fired: the server did not answer at all (frozen,
 * or the network dropped silently). The connection is in an unknown state and must be destroyed.
 */
export function isClientTimeout(e: unknown): boolean {
  return e instanceof Error && e.message === 'Query read timeout'
}

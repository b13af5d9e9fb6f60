/**
 * The Fastify listener around the v4 handler: takes every body as raw bytes whatever its
 * Content-Type, refuses bodies over the cap while they arrive, adds Tencent's CORS headers, gives
 * each request an id for the logs, and answers other methods and paths with an envelope too.
 * `/healthz` reports whether the store answers.
 */
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify'
import { createServer } from 'node:http'
import type { Logger } from 'pino'
import type { ServerConfig } from '../config/config.js'
import type { Store } from '../store/store.js'
import { failure } from './envelope.js'
import type { V4Handler } from './handler.js'

/** Headers Tencent's gateway sends (spec §1.2). */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'X-Requested-With',
  'access-control-allow-methods': 'POST',
}

export interface HttpServerDeps {
  config: ServerConfig
  logger: Logger
  store: Store
  handleV4: V4Handler
  /** Extra routes (receiptd's own `/api`), registered after the v4 surface. */
  extraRoutes?: (app: FastifyInstance) => void
}

let requestCounter = 0
const requestIdPrefix = process.pid.toString(36)

function requestId(header: string | string[] | undefined): string {
  if (typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header)) return header
  return `${requestIdPrefix}-${(++requestCounter).toString(36)}`
}

/** An IPv4 peer on a dual-stack socket shows as `::ffff:a.b.c.d`; Tencent's `ClientIP` is plain. */
export function clientIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}

export function sendEnvelope(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).headers(CORS).type('application/json; charset=utf-8').send(JSON.stringify(body))
}

export function createHttpServer(deps: HttpServerDeps): FastifyInstance {
  const { config, store, handleV4 } = deps
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    bodyLimit: config.bodyLimitBytes,
    // A client gets requestTimeoutMs for its headers and its whole body (slow-loris defence);
    // an idle keep-alive connection lives keepAliveTimeoutMs, as Tencent advises long keep-alive.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 0,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    forceCloseConnections: 'idle',
    // Node checks request timeouts on an interval fixed at construction (30 s by default); keep it
    // well under the timeout itself so slow clients are cut off on time.
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout: config.requestTimeoutMs,
          headersTimeout: config.requestTimeoutMs,
          keepAliveTimeout: config.keepAliveTimeoutMs,
          connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))),
        },
        handler,
      ),
    return503OnClosing: true,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: false },
  })

  // One parser for every Content-Type, including none: bodies are parsed by the handler so each
  // service can answer its own code for bad JSON.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

  // Once shutdown begins, answers close their connection so keep-alive clients do not hold it open.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
    if (closing) reply.header('connection', 'close')
  })

  app.options('/v4/*', async (_req, reply) => reply.code(204).headers(CORS).send())

  app.post('/v4/*', async (req, reply) => {
    const started = performance.now()
    const q = req.url.indexOf('?')
    const outcome = await handleV4({
      path: q < 0 ? req.url : req.url.slice(0, q),
      query: q < 0 ? '' : req.url.slice(q + 1),
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      log: req.log,
      clientIp: clientIp(req.ip),
    })
    // The URL carries the usersig: it is never logged, only the parts that identify the call.
    req.log.info(
      {
        sdkAppId: outcome.sdkAppId,
        command: outcome.command,
        code: outcome.envelope.ErrorCode,
        ms: Math.round((performance.now() - started) * 100) / 100,
      },
      'v4 request',
    )
    return sendEnvelope(reply, 200, outcome.envelope)
  })

  app.route({
    method: ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH'],
    url: '/v4/*',
    handler: async (req, reply) => {
      reply.header('allow', 'POST, OPTIONS')
      return sendEnvelope(reply, 200, failure(60002, `HTTP method ${req.method} is not supported: use POST`))
    },
  })

  app.get('/healthz', async (_req, reply) => {
    try {
      await store.check()
      return reply.send({ status: 'ok', store: store.kind })
    } catch (e) {
      reply.log.error({ err: e }, 'health check failed')
      return reply.code(503).send({ status: 'unavailable', store: store.kind })
    }
  })

  deps.extraRoutes?.(app)

  app.setNotFoundHandler(async (req, reply) =>
    sendEnvelope(reply, 404, failure(60009, `no such resource: ${req.method} ${req.url.split('?')[0]}`)),
  )

  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The rest of the body is not read: close the connection instead of draining it.
      reply.header('connection', 'close')
      return sendEnvelope(
        reply,
        200,
        failure(60008, `the request body is larger than ${config.bodyLimitBytes} bytes`),
      )
    }
    if (error.code?.startsWith('FST_ERR_CTP') || (error.statusCode ?? 500) < 500) {
      reply.header('connection', 'close')
      return sendEnvelope(reply, 200, failure(60008, `malformed HTTP request: ${error.message}`))
    }
    req.log.error({ err: error }, 'unexpected failure in the HTTP layer')
    return sendEnvelope(reply, 200, failure(60008, 'the request could not be processed'))
  })

  return app
}

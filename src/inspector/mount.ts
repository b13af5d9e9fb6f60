/**
 * Puts the inspection API, its OpenAPI description and the web console on the server's routes,
 * behind the same checks as the rest of receiptd's /api (`signedRoute`).
 */
import type { Command } from '../api/command.js'
import type { AppConfig } from '../config/config.js'
import type { Clock } from '../domain/clock.js'
import { deliveryLogRoutes, signedRoute } from '../gateway/own-api.js'
import { events, text, type Routes } from '../gateway/routes.js'
import { addConsoleRoutes } from '../gateway/static.js'
import type { UserSigVerifier } from '../gateway/usersig.js'
import type { Store } from '../store/store.js'
import { openApiDocument } from './openapi.js'
import type { InspectRequest } from './request.js'
import { inspectRoutes } from './routes.js'

/** The web console's files: in src/console beside this folder and, copied by the build, in dist/. */
const CONSOLE_DIR = new URL('../console/', import.meta.url)

export function mountInspector(
  routes: Routes,
  deps: {
    apps: readonly AppConfig[]
    store: Store
    clock: Clock
    verifier: UserSigVerifier
    commands: Iterable<Command>
    version: string
  },
): void {
  const table = inspectRoutes(deps)
  const request = (
    app: AppConfig,
    query: Map<string, string>,
    req: { params: object; body: Buffer | undefined; log: InspectRequest['log'] },
  ): InspectRequest => ({
    app,
    query,
    params: req.params as Record<string, string>,
    body: req.body,
    log: req.log,
  })
  for (const r of table.routes) {
    routes.add(
      r.method,
      r.path,
      signedRoute(deps, async (app, query, req) => {
        const answer = await r.run(request(app, query, req))
        return 'raw' in answer && answer.raw === true
          ? text(200, answer.contentType as string, answer.body as string)
          : answer
      }),
    )
  }
  routes.add(
    'GET',
    table.events.path,
    signedRoute(deps, async (app, query, req) =>
      events(async (stream) => {
        const stop = table.events.stream(request(app, query, req), (event, data) => stream.send(data, event))
        await stream.closed
        stop()
      }),
    ),
  )
  const openApi = JSON.stringify(
    openApiDocument({
      version: deps.version,
      routes: [...table.routes, ...deliveryLogRoutes],
      events: table.events,
      commands: deps.commands,
    }),
  )
  routes.add('GET', '/api/openapi.json', async () => text(200, 'application/json; charset=utf-8', openApi))
  addConsoleRoutes(routes, CONSOLE_DIR)
}

/**
 * /api/openapi.json describes every route receiptd mounts under /api/apps (the inspection API,
 * test support and the webhook delivery log), with the same methods.
 */
import { expect, it } from 'vitest'
import { commands } from '../../src/api/commands.js'
import { systemClock } from '../../src/domain/clock.js'
import { addOwnApiRoutes } from '../../src/gateway/own-api.js'
import { Routes, type TextAnswer } from '../../src/gateway/routes.js'
import type { UserSigVerifier } from '../../src/gateway/usersig.js'
import { mountInspector } from '../../src/inspector/mount.js'
import type { Store } from '../../src/store/store.js'

it('describes every /api/apps route with its method', async () => {
  const routes = new Routes()
  const deps = { apps: [], store: {} as Store, clock: systemClock, verifier: {} as UserSigVerifier }
  addOwnApiRoutes(routes, deps)
  mountInspector(routes, { ...deps, commands: commands.values(), version: '0.0.0' })
  const found = routes.match('GET', '/api/openapi.json')
  if (found.kind !== 'route') throw new Error('no /api/openapi.json')
  const answer = (await found.route.handler({} as never)) as TextAnswer
  const doc = JSON.parse(answer.body) as { paths: Record<string, Record<string, unknown>> }

  const mounted = routes.list().filter((r) => r.pattern.startsWith('/api/apps/'))
  expect(mounted.length).toBeGreaterThan(10)
  for (const r of mounted) {
    const path = r.pattern.replace(/:(\w+)/g, '{$1}')
    expect(doc.paths[path], `${r.method} ${r.pattern}`).toHaveProperty(r.method.toLowerCase())
  }
})

/**
 * The route table other parts of receiptd build on: typed path parameters, JSON answers, and
 * server-sent event streams that end when the client leaves or the server shuts down.
 */
import { describe, expect, it } from 'vitest'
import { events, json, Routes } from '../../src/gateway/routes.js'
import { startTestServer } from '../helpers/server.js'

describe('Routes', () => {
  it('matches patterns, decodes parameters and tells which methods a path takes', () => {
    const routes = new Routes()
      .add('GET', '/api/apps/:sdkAppId/things/:id', async (req) => json(200, req.params))
      .add('POST', '/api/apps/:sdkAppId/things/:id', async () => json(200, {}))
    const m = routes.match('GET', '/api/apps/7/things/a%20b/')
    expect(m.kind === 'route' && m.params).toEqual({ sdkAppId: '7', id: 'a b' })
    expect(routes.match('DELETE', '/api/apps/7/things/x')).toEqual({
      kind: 'method',
      allowed: ['GET', 'POST'],
    })
    expect(routes.match('GET', '/api/apps/7/things/')).toEqual({ kind: 'none' })
    expect(routes.match('GET', '/api/apps/7/things/%E0%A4%A')).toEqual({ kind: 'none' })
    expect(() => routes.add('GET', '/api/apps/:sdkAppId/things/:id', async () => json(200, {}))).toThrow(
      /registered twice/,
    )
  })
})

describe('routes over HTTP', () => {
  it('answers JSON with typed parameters, and streams server-sent events', async () => {
    const server = await startTestServer(undefined, {
      routes: (routes) =>
        routes
          .add('GET', '/api/echo/:name', async (req) =>
            json(200, { Name: req.params.name, Query: req.query }),
          )
          .add('GET', '/api/count', async () =>
            events(async (stream) => {
              for (let i = 1; i <= 3; i++) stream.send({ n: i }, 'tick', String(i))
            }),
          )
          .add('GET', '/api/forever', async () => events((stream) => stream.closed)),
    })
    try {
      const echo = await fetch(`${server.url}/api/echo/x%2Fy?a=1`)
      expect(await echo.json()).toEqual({ Name: 'x/y', Query: 'a=1' })

      const stream = await fetch(`${server.url}/api/count`)
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
      const text = await stream.text()
      expect(text).toContain('id: 1\nevent: tick\ndata: {"n":1}\n\n')
      expect(text).toContain('id: 3\nevent: tick\ndata: {"n":3}\n\n')

      // A stream that never ends on its own is ended by shutdown, which then completes.
      const forever = await fetch(`${server.url}/api/forever`)
      const reader = forever.body!.getReader()
      await reader.read()
      const ended = (async () => {
        while (!(await reader.read()).done);
      })()
      await server.close()
      await ended
    } finally {
      await server.close().catch(() => undefined)
    }
  })
})

/**
 * The OpenAPI 3.1 description served at `/api/openapi.json` (issue 16 §2), written from the same
 * tables that answer: the inspection routes (`routes.ts`) and the v4 command table, whose declared
 * fields become each request body's properties. Field types live in decoders, not in data, so v4
 * bodies list names only; docs/errors.md has every code.
 */
import type { Command } from '../api/command.js'
import type { RouteDescription } from '../gateway/own-api.js'
import type { EventRoute } from './routes.js'

const ENVELOPE = {
  type: 'object',
  required: ['ActionStatus', 'ErrorCode', 'ErrorInfo'],
  properties: {
    ActionStatus: { type: 'string', enum: ['OK', 'FAIL', 'SomeError'] },
    ErrorCode: { type: 'integer', description: '0 on success; every code is in docs/errors.md' },
    ErrorInfo: { type: 'string' },
  },
  additionalProperties: true,
}

const SIGNED = [
  { name: 'sdkappid', in: 'query', required: true, schema: { type: 'integer' } },
  {
    name: 'identifier',
    in: 'query',
    required: true,
    schema: { type: 'string' },
    description: 'an admin of the app',
  },
  {
    name: 'usersig',
    in: 'query',
    required: true,
    schema: { type: 'string' },
    description: "the admin's UserSig",
  },
]

/** `/api/apps/:sdkAppId/x` → `/api/apps/{sdkAppId}/x`, with its path parameters. */
function pathOf(route: string): { path: string; params: object[] } {
  const names = [...route.matchAll(/:(\w+)/g)].map((m) => m[1]!)
  return {
    path: route.replace(/:(\w+)/g, '{$1}'),
    params: names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
  }
}

export function openApiDocument(input: {
  version: string
  routes: readonly RouteDescription[]
  events: EventRoute
  commands: Iterable<Command>
}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const add = (path: string, method: string, op: object) => {
    paths[path] = { ...paths[path], [method]: op }
  }
  for (const r of [...input.routes, input.events]) {
    const { path, params } = pathOf(r.path)
    const query = r.query.map((q) => ({
      name: q.name,
      in: 'query',
      required: false,
      schema: { type: 'string' },
      description: q.description,
    }))
    const isEvents = r === input.events
    add(path, r.method.toLowerCase(), {
      tags: ['receiptd'],
      summary: r.summary,
      parameters: [...params, ...SIGNED, ...query],
      ...(r.method === 'POST' &&
        path.endsWith('/fixtures') && {
          requestBody: {
            content: {
              'application/json': { schema: { type: 'object' } },
              'application/yaml': { schema: { type: 'string' } },
            },
          },
        }),
      responses: {
        200: {
          description: isEvents
            ? 'text/event-stream of `ready` and `change` events'
            : 'the envelope with the fields named in the summary',
          content: isEvents
            ? { 'text/event-stream': { schema: { type: 'string' } } }
            : { 'application/json': { schema: ENVELOPE } },
        },
      },
    })
  }
  for (const c of input.commands) {
    add(`/v4/${c.service}/${c.name}`, 'post', {
      tags: [c.service],
      summary: `Tencent Cloud Chat REST API ${c.service}/${c.name} (at most ${c.perSecond} calls/s per app at Tencent)`,
      parameters: [
        ...SIGNED,
        {
          name: 'random',
          in: 'query',
          required: true,
          schema: { type: 'integer', minimum: 0, maximum: 4294967295 },
        },
        { name: 'contenttype', in: 'query', required: true, schema: { const: 'json' } },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', properties: Object.fromEntries(c.fields.map((f) => [f, {}])) },
          },
        },
      },
      responses: {
        200: {
          description: 'always HTTP 200; the outcome is ErrorCode',
          content: { 'application/json': { schema: ENVELOPE } },
        },
      },
    })
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'receiptd',
      version: input.version,
      description:
        "Tencent Cloud Chat's server REST API (v4) and receiptd's own /api: inspection, test support and the webhook delivery log. Every call is signed with an admin UserSig of the app in the query string.",
    },
    paths,
  }
}

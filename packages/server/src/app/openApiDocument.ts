import { leadSchema } from '@intake-chat/engine/schema';
import { z as zod } from 'zod';
import * as z from 'zod/mini';
import { beaconSchema } from '../insight/readBeacon.js';

/** The lead API as OpenAPI 3.1, with the request body generated from the same schema the server parses with. */
export function openApiDocument(version: string): Record<string, unknown> {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'intake-chat lead API',
      version,
      description:
        'Takes callback requests from the intake chat. The server recomputes triage from the answers; a client cannot set a route or urgency.',
    },
    paths: {
      '/v1/leads': {
        post: {
          summary: 'Submit a callback request',
          description:
            'Idempotent per (center, idempotencyKey): the same key with the same body again answers with the same id and stores nothing twice; the same key with another body is refused (409), so a correction is sent under a new key. The locale, flow version and consent text version must be ones the center publishes. JSON only, at most 16 KB.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Lead' } } },
          },
          responses: {
            '201': {
              description: 'Stored (or already stored under this idempotency key).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Receipt' } } },
            },
            '400': error('The body is not valid JSON, or a field needs fixing: see `issues`.'),
            '403': error('This server takes no leads for that center.'),
            '409': error(
              'idempotency_key_reused: this key was used for a different request, which is kept; send the changed request with a new key.',
            ),
            '413': error('The body is larger than 16 KB.'),
            '415': error('The body is not sent as application/json.'),
            '429': error('Too many requests; retry after the number of seconds in Retry-After.'),
          },
        },
      },
      '/v1/events': {
        post: {
          summary: 'Count one conversation event (conversion insight)',
          description:
            "Adds one to the center's total for the day of this event; nothing else is kept (docs/insight.md). Sent by the widget with sendBeacon, as text/plain or application/json, at most 1 KB. A key outside the schema, a step or route the center's flow does not have, or a tag with an e-mail address or phone number in it is refused. A center with insight turned off is answered the same and nothing is counted.",
          requestBody: {
            required: true,
            content: {
              'text/plain': { schema: { $ref: '#/components/schemas/Event' } },
              'application/json': { schema: { $ref: '#/components/schemas/Event' } },
            },
          },
          responses: {
            '204': { description: 'Counted.' },
            '400': error('Not JSON, or not an event this server counts: the message says which part.'),
            '404': error('No center with that id is set up here.'),
            '413': error('The body is larger than 1 KB.'),
            '415': error('The body is not sent as text/plain or application/json.'),
            '429': error('Too many events from this address.'),
          },
        },
      },
      '/v1/shown': {
        get: {
          summary: 'Count the launcher as shown (conversion insight)',
          description:
            'Loaded by the widget as an image with no referrer while the host page is idle, when no chat frame was made by then (a frame made first carries the count instead: /frame?...&count=shown). Adds one to the center\'s "shown" total for the day, within the limits on events; counts only a browser\'s GET of an image (Sec-Fetch-Dest: image), never a prefetch, nor an image on a site the center does not allow when a referrer is sent. Never cached; nothing to draw.',
          parameters: [{ name: 'center', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            '204': { description: 'Counted, or over the limits and not counted.' },
            '404': error('No center with that id is set up here.'),
          },
        },
      },
      '/healthz': { get: { summary: 'The process is up', responses: { '200': { description: 'OK' } } } },
      '/readyz': {
        get: {
          summary: 'The database answers, and this server holds every data key in use',
          responses: {
            '200': { description: 'Ready' },
            '503': error(
              'The database does not answer, or stored values are sealed with a data key this server lacks.',
            ),
          },
        },
      },
    },
    components: {
      schemas: {
        Lead: z.toJSONSchema(leadSchema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }),
        Event: zod.toJSONSchema(beaconSchema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }),
        Receipt: {
          type: 'object',
          required: ['id', 'callbackWindow'],
          properties: {
            id: { type: 'string', description: 'The lead id.' },
            callbackWindow: { type: 'string', description: 'When to expect a call, in the lead locale.' },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                issues: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { path: { type: 'string' }, message: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** How a test receiver answers a request: a status, a redirect, or misbehaviour. */
export type Answer = number | { redirect: string } | 'hang' | 'close';

/** What every test receiver answers with: it must never show up in errors or logs. */
export const RECEIVER_BODY = 'receiver says: stack trace with secrets';

export interface ReceivedHook {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** What the receiver did with it. */
  readonly answer: Answer;
}

export interface WebhookReceiver {
  /** The URL to configure, e.g. http://127.0.0.1:40123/hooks/intake. */
  readonly url: string;
  readonly requests: ReceivedHook[];
  /** Holds each answer back this long, like a receiver doing work before it acknowledges. */
  delayMs: number;
  /** How many times each webhook-id was answered with a 2xx. */
  successesById(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1. `answer` decides per request, given the webhook-id and how
 * many requests came before it; the default accepts everything with 204.
 */
export async function startWebhookReceiver(
  answer: (id: string, seen: number) => Answer = () => 204,
): Promise<WebhookReceiver> {
  const requests: ReceivedHook[] = [];
  let receiver: WebhookReceiver | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? '');
      const chosen = answer(id, requests.length);
      requests.push({ id, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answer: chosen });
      if (chosen === 'hang') return;
      setTimeout(() => {
        if (chosen === 'close') request.socket.destroy();
        else if (typeof chosen === 'number') response.writeHead(chosen).end(RECEIVER_BODY);
        else response.writeHead(302, { location: chosen.redirect }).end();
      }, receiver?.delayMs ?? 0);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  receiver = {
    url: `http://127.0.0.1:${port}/hooks/intake`,
    requests,
    delayMs: 0,
    successesById() {
      const counts = new Map<string, number>();
      for (const { id, answer } of requests) {
        if (typeof answer === 'number' && answer >= 200 && answer < 300) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  return receiver;
}

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The message exactly as it crossed the wire. */
  readonly raw: string;
  /** The user name the client signed in with. */
  readonly user: string | undefined;
}

export interface SmtpReceiver {
  /** For SMTP_URL, with credentials the receiver accepts. */
  readonly url: string;
  readonly messages: ReceivedMail[];
  close(): Promise<void>;
}

/** What every test mail server is: plain SMTP on loopback, any sign-in accepted. */
const loopbackSmtp: SMTPServerOptions = {
  // STARTTLS would need a certificate the client trusts.
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  authOptional: true,
  logger: false,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
};

/** A real SMTP server on 127.0.0.1 that accepts any sign-in and keeps every message. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    ...loopbackSmtp,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        messages.push({
          from: mailFrom === false ? '' : mailFrom.address,
          to: rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://alerts:mail-password@127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/**
 * An SMTP server that greets, takes the envelope, then stalls after DATA: it reads the message and
 * never answers, as a mail server does that hangs mid-delivery. `close` cuts every connection.
 */
export async function startStalledSmtp(): Promise<{ url: string; stalled: () => number; close(): Promise<void> }> {
  let stalled = 0;
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    ...loopbackSmtp,
    onData(stream) {
      stalled += 1;
      stream.resume();
    },
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://alerts:mail-password@127.0.0.1:${port}`,
    stalled: () => stalled,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

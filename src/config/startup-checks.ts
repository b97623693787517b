import net from 'node:net';
import pg from 'pg';

/** How long the start waits for DATABASE_URL's server before saying it does not answer. */
export const DATABASE_CHECK_TIMEOUT_MS = 5000;

/** DATABASE_URL as it may be shown: without its password. */
export function safeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Connects to DATABASE_URL once, before the app starts, so that a database that is missing or
 * does not answer is one line naming it and what to do, within seconds (instead of the ORM's
 * retries and their stack traces). Answers that line, or undefined when the database answers.
 */
export async function checkDatabase(url: string, timeoutMs = DATABASE_CHECK_TIMEOUT_MS): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection that fails after connecting (the server shutting down) must not crash the check.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return describeDatabaseError(error as Error & { code?: string }, url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describeDatabaseError(error: Error & { code?: string }, url: string): string {
  const shown = safeDatabaseUrl(url);
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username || 'postgres';
  const server = `${parsed.hostname}:${parsed.port || 5432}`;
  switch (error.code) {
    case '3D000':
      return `Cannot start: the database "${database}" does not exist on the PostgreSQL server at ${server} (DATABASE_URL=${shown}). Create it (createdb -h ${parsed.hostname} -p ${parsed.port || 5432} ${database}) or point DATABASE_URL at an existing database; unset DATABASE_URL to use the embedded PostgreSQL.`;
    case '28P01':
    case '28000':
      return `Cannot start: the PostgreSQL server at ${server} refused the user "${decodeURIComponent(parsed.username)}" (DATABASE_URL=${shown}): ${error.message}. Check the user and password in DATABASE_URL.`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case undefined:
      return `Cannot start: no PostgreSQL answers at ${server} (DATABASE_URL=${shown}; ${error.code ?? error.message}). Start the server or fix DATABASE_URL; unset DATABASE_URL to use the embedded PostgreSQL.`;
    default:
      return `Cannot start: the database at DATABASE_URL=${shown} refused the connection (${error.code}: ${error.message}).`;
  }
}

/** The one line for a port the server cannot listen on, or undefined for another error. */
export function describeListenError(error: unknown, port: number): string | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return `Cannot start: port ${port} is already in use by another program. Stop that program, or choose a free port with PORT (e.g. PORT=${port === 65535 ? 3001 : port + 1}).`;
  }
  if (code === 'EACCES') {
    return `Cannot start: this user may not listen on port ${port}. Choose a port above 1023 with PORT (e.g. PORT=3000).`;
  }
  return undefined;
}

/**
 * Tries the port before anything starts (the embedded database, migrations, a cluster's workers), so
 * that a port in use is one line at once. Answers that line, or undefined when the port is free.
 */
export async function checkPort(port: number, host = '0.0.0.0'): Promise<string | undefined> {
  if (port === 0) return undefined;
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(describeListenError(error, port) ?? `Cannot start: cannot listen on port ${port} (${(error as Error).message}).`));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Returns `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** Quotes an identifier for SQL built from trusted names (database and schema names). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

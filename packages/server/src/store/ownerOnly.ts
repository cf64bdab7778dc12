import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data folder, made if missing, for the server's user alone (0700), whatever the umask: it holds
 * the database and, outside production, the development data key. A folder that already exists keeps
 * the mode its owner gave it.
 */
export function ownerOnlyFolder(path: string): void {
  if (existsSync(path)) return;
  mkdirSync(path, { recursive: true, mode: 0o700 });
  // mkdir's mode passes through the umask, which can only take bits away; chmod makes it exact.
  chmodSync(path, 0o700);
}

/**
 * A file only the server's user may read or write (0600), made empty if missing. SQLite gives its
 * `-wal` and `-shm` files the mode of the database file, so they follow.
 */
export function ownerOnlyFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireLock } from '../inventory/lock.js';
import { removeLogin, type StoredLogin, saveLogin } from './token-file.js';

/** The lock every writer of a login file takes (a refresh, `login`, `logout`). */
export function loginLockPath(file: string): string {
  return `${file}.lock`;
}

/** Saves a new login (after `login`) durably, under the login file's lock. */
export function storeLogin(file: string, login: StoredLogin): void {
  mkdirSync(dirname(file), { recursive: true });
  const lock = acquireLock(loginLockPath(file), 'login');
  try {
    saveLogin(file, login);
  } finally {
    lock.release();
  }
}

/** Deletes the saved login; true when there was one. */
export function forgetLogin(file: string): boolean {
  const lock = acquireLock(loginLockPath(file), 'logout');
  try {
    return removeLogin(file);
  } finally {
    lock.release();
  }
}

// U2's second source address must reach the target: an IPv4 loopback source
// beside an IPv4 target, none beside [::1] (an IPv4 source cannot reach it).
import { connect } from 'node:net';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { secondSourceFor } from '../../src/runner/run.js';

/** Whether a TCP connection from `localAddress` reaches the listener at host:port. */
function reaches(host: string, port: number, localAddress: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('the second source address', () => {
  it('is 127.0.0.2 for an IPv4 loopback target, and it reaches that target', async () => {
    expect(secondSourceFor(new URL('http://127.0.0.1:8080/'))).toBe('127.0.0.2');
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(await reaches('127.0.0.1', (server.address() as AddressInfo).port, '127.0.0.2')).toBe(true);
    } finally {
      server.close();
    }
  });

  it('is none for [::1], which 127.0.0.2 cannot reach, and none off loopback', async () => {
    expect(secondSourceFor(new URL('http://[::1]:8080/'))).toBeUndefined();
    const server = createServer();
    const listening = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(0, '::1', () => resolve(true)));
    if (listening) {
      try {
        expect(await reaches('::1', (server.address() as AddressInfo).port, '127.0.0.2')).toBe(false);
      } finally {
        server.close();
      }
    }
    expect(secondSourceFor(new URL('https://hive.example/'))).toBeUndefined();
  });
});

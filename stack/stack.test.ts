import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { pgbouncerIni } from './components/pgbouncer.ts';
import { choosePort, freePort } from './ports.ts';
import { REQUIREMENTS, installCommand } from './setup/requirements.ts';
import { parseProvider } from './index.ts';

describe('pgbouncer config', () => {
  it('is transaction mode with the NewFeed limits and forwards any database', () => {
    const ini = pgbouncerIni({ port: 6000, postgresPort: 5999, authFile: '/x/userlist.txt' });
    expect(ini).toContain('* = host=127.0.0.1 port=5999');
    expect(ini).toContain('listen_addr = 127.0.0.1');
    for (const line of ['pool_mode = transaction', 'max_client_conn = 1000', 'default_pool_size = 25', 'max_db_connections = 100']) expect(ini).toContain(line);
  });
});

describe('ports', () => {
  it('hands out a free port and refuses a taken one by name', async () => {
    const p = await freePort();
    expect(p).toBeGreaterThan(1024);
    const srv = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    const taken = (srv.address() as { port: number }).port;
    await expect(choosePort('redis', taken)).rejects.toThrow(`redis port ${taken} on 127.0.0.1 is already in use`);
    await expect(choosePort('redis', 70000)).rejects.toThrow('redis port "70000" is not a TCP port; expected 1..65535');
    srv.close();
  });
});

describe('setup requirements', () => {
  it('builds toxiproxy alone, with the /v2 module path of its major version, and never k6', () => {
    const go = REQUIREMENTS.filter((r) => r.kind === 'go');
    expect(go.map(installCommand)).toEqual(['GOBIN=.tools/bin go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0']);
    // k6's module is AGPL and on the not-to-use list: no requirement may name it.
    expect(REQUIREMENTS.map((r) => r.name)).not.toContain('k6');
  });
  it('names the Debian packages for the stack', () => {
    const pkgs = REQUIREMENTS.flatMap((r) => (r.kind === 'apt' ? r.packages : []));
    expect(pkgs).toEqual(expect.arrayContaining(['postgresql-15', 'postgresql-15-hypopg', 'pgbouncer', 'redis-server', 'rabbitmq-server']));
  });
});

describe('providers', () => {
  it('lists the valid providers for an unknown one', () => {
    expect(() => parseProvider('k8s')).toThrow('unknown provider "k8s"; expected one of: local, docker, external');
  });
});

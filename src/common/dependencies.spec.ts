import { FileTypeValidator } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The versions package.json's `overrides` pin for Node 20 (content-disposition 2, cookie 1,
 * file-type 21) in the code paths of the packages that pull them in.
 */
describe('overridden dependencies work where they are used', () => {
  it('content-disposition: @fastify/static names a download (reply.download)', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-download-'));
    fs.writeFileSync(path.join(folder, 'närvarolista.csv'), 'Namn\r\n');
    const app = Fastify();
    try {
      await app.register(fastifyStatic, { root: folder, serve: false });
      app.get('/lista', (_request, reply) => reply.download('närvarolista.csv'));
      const res = await app.inject('/lista');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="n?rvarolista.csv"; filename*=UTF-8''n%C3%A4rvarolista.csv`);
    } finally {
      await app.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('cookie: light-my-request (fastify.inject) sends cookies and reads Set-Cookie', async () => {
    const app = Fastify();
    app.get('/', (request, reply) => reply.header('set-cookie', 'sprak=sv; Path=/; HttpOnly').send(String(request.headers.cookie)));
    const res = await app.inject({ url: '/', cookies: { session: 'abc' } });
    await app.close();
    expect(res.payload).toBe('session=abc');
    expect(res.cookies).toEqual([expect.objectContaining({ name: 'sprak', value: 'sv', path: '/', httpOnly: true })]);
  });

  it("file-type: Nest's FileTypeValidator recognises a file by its magic number", async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ff' + 'ff3f0005fe02fea7d6a5d90000000049454e44ae426082', 'hex');
    const validator = new FileTypeValidator({ fileType: 'image/png' });
    expect(await validator.isValid({ buffer: png, mimetype: 'image/png', size: png.length } as never)).toBe(true);
    expect(await validator.isValid({ buffer: Buffer.from('%PDF-1.4\n'), mimetype: 'image/png', size: 9 } as never)).toBe(false);
  });
});

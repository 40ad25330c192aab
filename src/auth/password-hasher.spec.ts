import { PasswordHasher } from './password-hasher.js';

/** What keeps this process alive: a referenced worker shows as one more MessagePort. */
const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ opslimit: 1, memlimit: 8192 }, 8, 1);
  afterAll(() => hasher.close());

  it('hashes and verifies', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^\$argon2id\$/);
    await expect(hasher.verify(hash, 'correct horse')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'wrong horse')).resolves.toBe(false);
  });

  // A process whose only work left is a hash (the bench between its migrations and its first
  // connection; a command line) must wait for it: with an unreferenced worker it exited at once
  // with the promise unsettled and status 0. An idle worker still keeps nothing alive.
  it('keeps the process alive while a hash is pending, and only then', async () => {
    const idle = ports();
    const pending = [hasher.hash('one'), hasher.hash('two')];
    expect(ports()).toBe(idle + 1);
    await Promise.all(pending);
    expect(ports()).toBe(idle);
    await hasher.verify(await hasher.hash('three'), 'three');
    expect(ports()).toBe(idle);
  });
});

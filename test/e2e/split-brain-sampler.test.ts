// The sampler is what proves "never two writers" in every fault scenario, so it must itself be shown
// to see two writers when there are two.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRig, type Rig } from '../rig/index.js';
import { startSplitBrainSampler } from '../lib/split-brain-sampler.js';
import { eventually } from '../lib/eventually.js';

let rig: Rig;
before(async () => { rig = await createRig({ prefix: 'sp1', subnet: 55, hosts: 2 }); });
after(async () => { await rig?.destroy(); });

test('counts samples with two writable VIP holders, and none while there is one', async (t) => {
  const vip = rig.writerVip;
  await rig.addVip('db1', vip);
  const sampler = await startSplitBrainSampler(rig);
  await eventually(() => Promise.resolve(sampler.writers()), (w) => w.join() === 'db1');
  await new Promise((r) => setTimeout(r, 200));
  await rig.addVip('db2', vip);
  await rig.sql('db2', 'SET GLOBAL read_only = 0');
  await eventually(() => Promise.resolve(sampler.writers()), (w) => w.join() === 'db1,db2');
  await new Promise((r) => setTimeout(r, 100));
  await rig.sql('db2', 'SET GLOBAL read_only = 1');
  await rig.delVip('db2', vip);
  await eventually(() => Promise.resolve(sampler.writers()), (w) => w.join() === 'db1');
  const s = await sampler.stop();
  t.diagnostic(`samples ${s.samples}, split-brain ${s.splitBrainSamples}`);
  assert.ok(s.samples > 20, `only ${s.samples} samples`);
  assert.ok(s.splitBrainSamples >= 3, `split brain seen in ${s.splitBrainSamples} samples`);
  assert.ok(s.splitBrainSamples < s.samples / 2);
  assert.deepEqual(s.firstSplitBrain?.hosts, ['db1', 'db2']);
});

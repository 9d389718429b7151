import { expect, it } from 'vitest';
import { createGatewayClient } from '../../../main/core/gateway/client';
import { startDemoGateway } from '../../../main/demo-gateway/server';

it('--live appends new routine events every second, visible to an incremental read', async () => {
  const gw = await startDemoGateway({ seed: 2, days: 5, operators: 6, events: 500, live: 40 });
  try {
    const client = createGatewayClient({ baseUrl: gw.url, credentials: { kind: 'token', token: gw.createToken('auditor') } });
    const cursor = gw.store.lastEventTime ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const page = await client.listAuditLogs({ start_at: cursor + 1, direction: 'asc', page_size: 1000 });
    expect(page.total).toBeGreaterThanOrEqual(40);
    expect(page.list.every((e) => e.operator.id !== '' && e.event_time > cursor)).toBe(true);
    expect(gw.store.size).toBeGreaterThanOrEqual(540);
  } finally {
    await gw.close();
  }
});

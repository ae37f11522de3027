import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptsGzip, negotiateFormat } from './negotiate.js';

describe('negotiation', () => {
  it('picks OpenMetrics only when asked for with q > 0', () => {
    assert.equal(negotiateFormat(undefined), 'text');
    assert.equal(negotiateFormat('text/plain;version=0.0.4'), 'text');
    assert.equal(
      negotiateFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'),
      'openmetrics',
    );
    assert.equal(negotiateFormat('application/openmetrics-text;q=0, text/plain'), 'text');
  });

  it('accepts gzip unless q=0', () => {
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('br, GZIP;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip(['deflate', 'gzip']), true);
  });
});

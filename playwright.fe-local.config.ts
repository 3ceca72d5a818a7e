// TEMPORARY (front-end engineer's local runs against a private preview on :4391); not committed.
import base from './playwright.config';
export default { ...base, use: { ...base.use, baseURL: 'http://127.0.0.1:4391/' }, webServer: undefined, outputDir: '/tmp/fe/test-results' };

import {
  ConfigurationError, isRefusal, VendorAuthenticationError, VendorNotFoundError, VendorPermissionError, VendorServerError, VendorValidationError,
} from '../../../src/core/errors';
import { AlreadyReportedError, explainRefusal, ReportedCauses, type RefusalSubject } from '../../../src/provider/connections/refusals';

const subject: RefusalSubject = { vendor: 'Edge Impulse', credential: { what: 'API key', holder: 'ACME_EI_API_KEY', resembles: () => false }, connection: 'acme', where: 'organization 42' };
const withMethod = <T extends { method?: string }>(error: T, method: string): T => Object.assign(error, { method });

describe('isRefusal', () => {
  test('401, 403 and 404 are refusals; 5xx are not', () => {
    expect(isRefusal(new VendorAuthenticationError('X', 'list', 401, {}))).toBe(true);
    expect(isRefusal(new VendorPermissionError('X', 'list', 403, {}))).toBe(true);
    expect(isRefusal(new VendorNotFoundError('X', 'list', 404, {}))).toBe(true);
    expect(isRefusal(new VendorServerError('X', 'list', 503, {}))).toBe(false);
  });

  test('an error body with HTTP 200 is a refusal for a listing only: a write may have been refused for its input', () => {
    expect(isRefusal(withMethod(new VendorValidationError('X', 'list', 200, { message: 'Invalid API key' }), 'GET'))).toBe(true);
    expect(isRefusal(withMethod(new VendorValidationError('X', 'add', 200, { message: 'already exists' }), 'POST'))).toBe(false);
    expect(isRefusal(withMethod(new VendorValidationError('X', 'list', 400, {}), 'GET'))).toBe(false);
  });
});

describe('explainRefusal', () => {
  test('keeps the class and code, and tells the variable, the connection and the organization', () => {
    const explained = explainRefusal(new VendorNotFoundError('Edge Impulse', 'list organization API keys', 404, { message: 'No such organization' }, 'req_1'), subject);
    expect(explained).toBeInstanceOf(VendorNotFoundError);
    expect(explained.code).toBe('APIKEYS_ERR_VENDOR_NOT_FOUND');
    expect(explained.message).toBe('Edge Impulse rejected the API key in ACME_EI_API_KEY (connection "acme") with HTTP 404 when asked to list organization API keys for organization 42: No such organization [request id req_1]');
    expect(explained.hint).toBe('Check the id: organization 42 does not exist, or the API key in ACME_EI_API_KEY belongs to another organization and cannot see it.');
  });

  test('an error body with HTTP 200 is told as such, with advice covering both causes', () => {
    const explained = explainRefusal(withMethod(new VendorValidationError('Edge Impulse', 'list organization API keys', 200, { message: 'Invalid API key' }), 'GET'), { ...subject, connection: undefined });
    expect(explained.message).toContain('rejected the API key in ACME_EI_API_KEY with an error in its answer when asked to');
    expect(explained.hint).toBe('Check the API key in ACME_EI_API_KEY: it must be valid and belong to organization 42, with the role this needs.');
  });
});

describe('ReportedCauses', () => {
  const at = { vendor: 'edgeimpulse', connection: 'acme', where: 'organization 42' };

  test('the first error of a cause is itself; later ones point back at it', () => {
    const causes = new ReportedCauses();
    const refused = new VendorAuthenticationError('X', 'list', 401, {});
    expect(causes.once(refused, at)).toBe(refused);
    const again = causes.once(new VendorAuthenticationError('X', 'list', 401, {}), { ...at, where: 'organization 43' });
    expect(again).toBeInstanceOf(AlreadyReportedError);
  });

  test('a 401 is one cause per connection; a 403 one per connection and organization; a missing setting one per message', () => {
    const causes = new ReportedCauses();
    expect(causes.once(new VendorAuthenticationError('X', 'list', 401, {}), { ...at, connection: 'other' })).toBeInstanceOf(VendorAuthenticationError);
    expect(causes.once(new VendorPermissionError('X', 'list', 403, {}), at)).toBeInstanceOf(VendorPermissionError);
    expect(causes.once(new VendorPermissionError('X', 'list', 403, {}), { ...at, where: 'organization 43' })).toBeInstanceOf(VendorPermissionError);
    const missing = new ConfigurationError('no API key is configured', 'api_key');
    expect(causes.once(missing, at)).toBe(missing);
    expect(causes.once(new ConfigurationError('no API key is configured', 'api_key'), at)).toBeInstanceOf(AlreadyReportedError);
  });

  test('other errors are never deduplicated', () => {
    const causes = new ReportedCauses();
    const fault = new VendorServerError('X', 'list', 503, {});
    expect(causes.once(fault, at)).toBe(fault);
    expect(causes.once(fault, at)).toBe(fault);
  });
});

/**
 * Canonical JSON of an entry of the plain shape (the published fields with their validated types,
 * nothing extra; see hasPlainShape in canonical-entry.ts) is a fixed sequence of keys in code-unit
 * order with the values between them. These are the bytes of that sequence, shared by the code
 * that reads such text (export/stored-record.ts) and the code that writes it from a CSV row
 * (verify/csv-leaf-text.ts). The body keys are optional; each body is followed by a comma.
 */

/** Year 3000, the schema's upper bound for event_time. */
export const MAX_EVENT_TIME = 32503680000;

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

export const PLAIN_KEYS = {
  errorMessage: bytesOf('{"error_message":'),
  eventTime: bytesOf(',"event_time":'),
  eventType: bytesOf(',"event_type":'),
  gatewayGroupId: bytesOf(',"gateway_group_id":'),
  httpRequest: bytesOf(',"http_request":{'),
  body: bytesOf('"body":'),
  method: bytesOf('"method":'),
  uri: bytesOf(',"uri":'),
  userAgent: bytesOf(',"user_agent":'),
  httpResponse: bytesOf('},"http_response":{'),
  statusCode: bytesOf('"status_code":'),
  id: bytesOf('},"id":'),
  ipAddress: bytesOf(',"ip_address":'),
  operatorEmail: bytesOf(',"operator":{"email":'),
  firstName: bytesOf(',"first_name":'),
  operatorId: bytesOf(',"id":'),
  lastName: bytesOf(',"last_name":'),
  username: bytesOf(',"username":'),
  resourceId: bytesOf('},"resource_id":'),
  resourceName: bytesOf(',"resource_name":'),
  source: bytesOf(',"source":'),
  tokenName: bytesOf(',"token_name":'),
  end: bytesOf('}'),
};

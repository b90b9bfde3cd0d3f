import { isAxiosError } from 'axios';
import { LiveApiError } from '../tenant/live/errors';
import { FileHostRefusedError } from '../tenant/fileHosts';
import { TenantStillReadingError } from '../tenant/tenantService';
import { FileHostAnswerError, TransferStalledError } from '../tenant/fileTransfer';
import { ReadingFailedError } from './readingThread';

/**
 * Any failure, told to a person: what happened and what to do, never a stack trace,
 * token or secret. The log line keeps the technical part, scrubbed of credentials.
 */
export interface FailureText {
  title: string;
  message: string;
  action: string;
  logLine: string;
}

const SECRET_PATTERNS: RegExp[] = [
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
  // Query strings, form bodies and storage connection strings (AccountKey=...;).
  /(client_secret|password|secret|sig|code|access_token|refresh_token|AccountKey|SharedAccessSignature)=([^&\s"';]+)/gi,
  // The same fields in a JSON body (a token endpoint's answer, a request echoed in an error).
  /"(client_secret|password|secret|access_token|refresh_token|id_token)"\s*:\s*"[^"]*"/gi,
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) {
    out = out.replace(p, (m, key?: string) => {
      if (typeof key !== 'string') return '[redacted]';
      return m.startsWith('"') ? `"${key}":"[redacted]"` : `${key}=[redacted]`;
    });
  }
  return out;
}

export function describeFailure(error: unknown): FailureText {
  const logLine = scrubSecrets(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  // The live readers already say which registration or permission is missing, and how to grant it.
  if (error instanceof LiveApiError) {
    const title = error.api === 'token' ? 'PassLens could not sign in to your tenant' : error.status === 401 || error.status === 403 ? 'Microsoft refused access' : 'Your tenant could not be read';
    return { title, message: scrubSecrets(error.message), action: error.action, logLine };
  }
  // A refused link, the file host's own refusal, a stalled transfer: PassLens's words, never what the host sent.
  if (error instanceof FileHostRefusedError || error instanceof FileHostAnswerError || error instanceof TransferStalledError) {
    return { title: 'A file could not be transferred', message: error.message, action: 'Send the file again; if it keeps failing, run "passlens analyze --csv FILE" on your machine.', logLine };
  }
  // PassLens's own words: the sentence is not repeated, nor what the reader threw.
  if (error instanceof ReadingFailedError) {
    return { title: 'I could not read that question', message: error.message, action: 'Ask again; if it happens again, ask in other words or shorter, or say "help" for the questions I answer.', logLine: error.cause === undefined ? logLine : `${logLine} (${scrubSecrets(String(error.cause))})` };
  }
  if (error instanceof TenantStillReadingError) {
    return { title: 'Your tenant is still being read', message: error.message, action: 'Drop the file again in a minute; if it keeps saying this, say "check setup".', logLine };
  }
  if (isAxiosError(error)) {
    const status = error.response?.status;
    if (status === 401 || status === 403) {
      return {
        title: 'Microsoft refused access',
        message: `The service answered ${status}: PassLens's app registration is missing a permission or is not registered as a Power Platform management app.`,
        action: 'A Power Platform admin registers it once (pac admin application register --application-id <client id>, or New-PowerAppManagementApp) and grants the Graph application permissions with admin consent; see docs/live-setup.md in the PassLens repository.',
        logLine,
      };
    }
    if (status === 429 || status === 503) {
      return { title: 'Microsoft is throttling requests', message: 'The admin APIs asked PassLens to slow down and retries ran out.', action: 'Ask again in a minute.', logLine };
    }
    if (status && status >= 500) {
      return { title: 'A Microsoft service failed', message: `The service answered ${status} after retries.`, action: 'Ask again in a few minutes; if it persists, check the Microsoft 365 service health page.', logLine };
    }
    return { title: 'A download failed', message: error.code === 'ECONNABORTED' ? 'The request timed out.' : 'The connection failed.', action: 'Try again in a moment.', logLine };
  }
  return { title: 'Something went wrong', message: 'PassLens could not answer this time. The details are in its log.', action: 'Try again; if it keeps failing, tell whoever runs PassLens, with the time of your question.', logLine };
}

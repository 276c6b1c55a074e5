import type { ProviderFamily } from '../family';
import { openAiAdminKeyListing, openAiAdminKeyResource } from './admin-key';
import { openAiConnection } from './connection';
import { openAiProjectKeyListing, openAiProjectKeyResource } from './project-key';

/** OpenAI: admin keys of an organization, and project keys through service accounts. */
export const openAiFamily: ProviderFamily = {
  connection: openAiConnection,
  resources: [openAiAdminKeyResource, openAiProjectKeyResource],
  listings: { openai_admin_key: openAiAdminKeyListing, openai_project_key: openAiProjectKeyListing },
};

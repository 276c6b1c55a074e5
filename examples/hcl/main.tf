# Plain Terraform with the apikeys provider: no Node.js project, no CDKTF.
#
#   npx -p @cdktf-apikeys/apikeys apikeys install-provider   # or unpack a release archive into a mirror
#   cp <the lock file it names> .terraform.lock.hcl          # its hashes, for every platform
#   umask 077                                                # the state holds the secrets: owner-only
#   terraform init && terraform apply
#
# (`-p @cdktf-apikeys/apikeys`: outside a project, a bare `npx apikeys` would run whatever package
# owns the unscoped name `apikeys`.)
#
# Credentials come from the environment, never from this file: each *_env setting names the
# variable, and each name ends with its kind's suffix (*_OPENAI_ADMIN_KEY, *_EI_API_KEY,
# *_ATLAS_PUBLIC_KEY / *_ATLAS_PRIVATE_KEY). Base URLs come from the operator's environment too
# (OPENAI_BASE_URL, EDGEIMPULSE_BASE_URL, MONGODB_ATLAS_BASE_URL; unset: the vendors' own hosts),
# and a credential is only sent to a vendor's default host or to a host in APIKEYS_ALLOWED_HOSTS.
terraform {
  required_version = ">= 1.11"
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}

variable "edgeimpulse_organization_id" {
  type    = number
  default = 4242
}

variable "atlas_organization_id" {
  type    = string
  default = "5f1e2d3c4b5a69788796a5b4"
}

# One provider configuration for every organization: a named connection per organization,
# and each resource names its connection. (Aliased provider blocks work too, but each one
# is another provider process in every plan.)
provider "apikeys" {
  openai_connection "acme" {
    admin_key_env = "ACME_OPENAI_ADMIN_KEY"
  }
  edgeimpulse_connection "acme" {
    api_key_env = "ACME_EI_API_KEY"
  }
  atlas_connection "acme" {
    public_key_env  = "ACME_ATLAS_PUBLIC_KEY"
    private_key_env = "ACME_ATLAS_PRIVATE_KEY"
  }
}

resource "apikeys_openai_admin_key" "release_bot" {
  connection_name    = "acme"
  name               = "release-bot"
  expires_in_seconds = 2592000 # 30 days
}

resource "apikeys_edgeimpulse_organization_key" "release_bot" {
  connection_name = "acme"
  organization_id = var.edgeimpulse_organization_id
  name            = "release-bot"
  role            = "member"
}

resource "apikeys_atlas_organization_key" "release_bot" {
  connection_name = "acme"
  organization_id = var.atlas_organization_id
  description     = "release-bot"
  roles           = ["ORG_READ_ONLY"]
}

# Secrets only as sensitive outputs: `terraform output -raw openai_release_bot_secret` prints one.
output "openai_release_bot_secret" {
  value     = apikeys_openai_admin_key.release_bot.secret
  sensitive = true
}

output "edgeimpulse_release_bot_secret" {
  value     = apikeys_edgeimpulse_organization_key.release_bot.secret
  sensitive = true
}

output "atlas_release_bot_private_key" {
  value     = apikeys_atlas_organization_key.release_bot.secret
  sensitive = true
}

# Keys nobody declared show up here, redacted (and as plan warnings with the CDKTF constructs).
locals {
  # Through a local value, so the listing waits only while a declared key's id is unknown.
  openai_admin_key_ids = [apikeys_openai_admin_key.release_bot.id]
}

data "apikeys_organization_keys" "openai_admin" {
  connection_name = "acme"
  family          = "openai_admin_key"
  managed_ids     = local.openai_admin_key_ids
  declared_keys   = { "apikeys_openai_admin_key.release_bot" = "release-bot" }
  # Keys expected to exist undeclared, by id or name, such as the one the pipeline authenticates with:
  # ignore        = ["pipeline admin key"]
}

output "openai_unmanaged_admin_key_ids" {
  value = data.apikeys_organization_keys.openai_admin.unmanaged_ids
}

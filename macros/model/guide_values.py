"""The fixed example values of the setup guides (host, users, file names) and the ids they look up in the data."""

from __future__ import annotations

SERVER_NAME = "db.example.com"      # the host name clients use, and the certificate's DNS name


OTHER_NAME = "db"                   # a name that is not in the certificate (troubleshooting)


PORT = 5432


DATABASE = "app"


CERT_USER = "app"                   # logs in with a client certificate (CN=app)


OTHER_CERT_USER = "bob"             # someone else's certificate (troubleshooting)


PASSWORD_USER = "alice"             # logs in with a password and a client certificate


SERVER_OS_USER = "postgres"         # the operating system user of distribution packages


CA_SUBJECT = "/CN=Example Root CA"


CA_DAYS = 3650


CERT_DAYS = 365


KEY = "rsa:2048"


NETWORKS = ("0.0.0.0/0", "::/0")    # every address: readers narrow these to their networks


FILES = {"ca_cert": "root.crt", "ca_key": "root.key", "server_cert": "server.crt",
         "server_key": "server.key", "client_cert": "client.crt", "client_key": "client.key"}


ROOT_FILE_EXAMPLE = f"/home/{CERT_USER}/.postgresql/root.crt"


# Placeholders of data/messages.yaml, filled with this guide's example setup.
MESSAGE_VALUES = {"key_file": FILES["server_key"], "cert_name": SERVER_NAME, "host": OTHER_NAME,
                  "root_file": ROOT_FILE_EXAMPLE, "user": CERT_USER, "cert_user": OTHER_CERT_USER}


# 9.4 to 9.6 have no SCRAM (features.yaml scram_sha_256); md5 is their password method.
OLD_PASSWORD_METHOD = "md5"


# pg_stat_ssl / sslinfo: the columns the verify step selects, and what psql prints for them.
STAT_SSL_QUERY = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid();"


SSLINFO_QUERY = "SELECT ssl_is_used(), ssl_version();"


SSLINFO_SETUP = "CREATE EXTENSION IF NOT EXISTS sslinfo;"


SERVER_EXTENSIONS = ("basicConstraints = critical,CA:FALSE",
                     "keyUsage = critical,digitalSignature,keyEncipherment",
                     "extendedKeyUsage = serverAuth",
                     f"subjectAltName = DNS:{SERVER_NAME}")


CLIENT_EXTENSIONS = ("basicConstraints = critical,CA:FALSE",
                     "keyUsage = critical,digitalSignature",
                     "extendedKeyUsage = clientAuth")


# Every id and name the guide looks up. macros/check/rules/guide_requirements.py fails the check when
# one is missing, so the code below assumes them: a renamed id must be renamed here too.
# profiles.yaml
RECOMMENDED_PROFILE = "intermediate"


MODERN_PROFILE = "modern"              # the client-side floor example


REQUIRED_PROFILES = (MODERN_PROFILE, RECOMMENDED_PROFILE)


# features.yaml
STAT_SSL = "pg_stat_ssl"


ROOT_OWNED_KEY = "key_file_root_group_read"


SCRAM = "scram_sha_256"


SYSTEM_ROOT_CERT = "sslrootcert_system"


REQUIRED_FEATURES = (STAT_SSL, ROOT_OWNED_KEY, SCRAM, SYSTEM_ROOT_CERT)


# openssl-cli.yaml
NOENC = "req-noenc"


ADDEXT = "req-addext"


STARTTLS = "s-client-starttls-postgres"


SECLEVEL = "cipher-string-seclevel"


REQUIRED_CLI_OPTIONS = (NOENC, ADDEXT, STARTTLS, SECLEVEL)


# data/settings/: by kind. The guide looks no message or platform up by id: it prints them all,
# and each message needs its words (guide.troubles.<id>) in macros/locales/en.yaml.
REQUIRED_SETTINGS = {"server": ("ssl", "ssl_library", "ssl_min_protocol_version"),
                     "libpq": ("sslmode", "sslrootcert", "sslnegotiation", "ssl_min_protocol_version"),
                     "hba": ("clientcert",)}


# Read in every major's guide: the setting must exist in every major on file.
IN_EVERY_MAJOR = (("server", "ssl"), ("libpq", "sslmode"), ("hba", "clientcert"))


# The field of a setting's version range that the guide prints, wherever the setting exists.
RANGE_FIELDS = {("server", "ssl"): "apply", ("server", "ssl_min_protocol_version"): "values",
                ("libpq", "sslmode"): "values", ("hba", "clientcert"): "values"}

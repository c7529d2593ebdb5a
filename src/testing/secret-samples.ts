/**
 * One hit for each of the gate's 17 secret patterns (kavach's secrets.rs), written out again here (not derived from the
 * table) so that a changed pattern table fails the tests that use them. All values are fake.
 */
export const JWT_SAMPLE = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

export const SECRET_SAMPLES: [name: string, sample: string, category: string, severity: string][] = [
  ['aws_access_key', 'key AKIAIOSFODNN7EXAMPLE end', 'cloud_credential', 'critical'],
  ['aws_secret_key', 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', 'cloud_credential', 'critical'],
  ['gcp_api_key', 'AIzaSyA1234567890abcdefghijklmnopqrstuv', 'cloud_credential', 'high'],
  ['github_token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'api_token', 'critical'],
  ['stripe_key', 'sk_live_abcdefghijklmnopqrstuvwx', 'api_token', 'critical'],
  ['slack_token', 'xoxb-1234567890-abcdef', 'api_token', 'high'],
  ['generic_api_key', 'API_KEY: "abcdefghijklmnopqrstu"', 'api_key', 'medium'],
  ['bearer_token', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz', 'auth_token', 'high'],
  ['jwt', `jwt=${JWT_SAMPLE}`, 'auth_token', 'high'],
  ['rsa_private_key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEp...', 'private_key', 'critical'],
  ['ec_private_key', 'x -----BEGIN EC PRIVATE KEY-----', 'private_key', 'critical'],
  ['openssh_private_key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...', 'private_key', 'critical'],
  ['private_key', '-----BEGIN PRIVATE KEY-----\nMIIEv...', 'private_key', 'critical'],
  ['password_assignment', `PASSWD = 'hunter2hunter2'`, 'credential', 'high'],
  ['database_url', 'DSN mysql://app:pw@db.internal:3306/prod', 'connection_string', 'critical'],
  ['email', 'mail alice.smith+tag@example.co.uk now', 'pii', 'low'],
  ['ssn', 'ssn 123-45-6789.', 'pii', 'critical'],
];

#!/bin/sh
# One-shot (minio/mc image), before the agencies start: each agency keeping documents gets its own bucket and its own
# MinIO user, allowed on that bucket only; passwords from the compose secrets (deploy/secrets/s3/<agency>.password).
set -eu
mc alias set onestop http://minio:9000 onestop-admin "$(cat /run/secrets/s3-root-password)" >/dev/null
for agency in $S3_AGENCIES; do
  bucket="onestop-$agency"
  mc mb --ignore-existing "onestop/$bucket"
  cat > "/tmp/$agency.json" <<POLICY
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$bucket"]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::$bucket/*"]}
]}
POLICY
  mc admin policy create onestop "documents-$agency" "/tmp/$agency.json" >/dev/null
  mc admin user add onestop "$agency" "$(cat "/run/secrets/s3-$agency-password")" >/dev/null
  mc admin policy attach onestop "documents-$agency" --user "$agency" >/dev/null 2>&1 || true
  echo "$bucket: user $agency, read and write on its own bucket only"
done

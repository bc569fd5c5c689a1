{{/*
Migrations run before the new version rolls out: a Helm pre-install/pre-upgrade hook Job per
service, with the service's own image and the migration tool in it
(`node dist/scripts/db.js run <service>`, under an advisory lock). The hook has its own
ServiceAccount (hooks run before the release's own resources exist) bound to the same Google
service account, so the Cloud SQL Auth Proxy sidecar can connect.
*/}}
{{- define "pace-service.migrationJob" -}}
{{- if .svc.migrations.enabled }}
{{- $root := .root -}}
{{- $dbVar := ternary "PACE_AI_DATABASE_URL" "DATABASE_URL" (eq (.svc.database | default "pace") "pace_ai") -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .name }}-migrate
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation
    {{- if $root.Values.gcp.workloadIdentity }}
    iam.gke.io/gcp-service-account: {{ include "pace-service.gsa" . }}
    {{- end }}
automountServiceAccountToken: false
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .name }}-migrate
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
    app.kubernetes.io/component: migration
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ .svc.migrations.backoffLimit }}
  activeDeadlineSeconds: {{ .svc.migrations.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: 86400
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .name }}-migrate
        app.kubernetes.io/instance: {{ $root.Release.Name }}
        app.kubernetes.io/component: migration
    spec:
      restartPolicy: Never
      serviceAccountName: {{ .name }}-migrate
      automountServiceAccountToken: false
      securityContext:
        {{- include "pace-service.podSecurityContext" . | nindent 8 }}
      {{- if $root.Values.cloudSql.enabled }}
      initContainers:
        {{- include "pace-service.cloudSqlProxy" . | nindent 8 }}
      {{- end }}
      containers:
        - name: migrate
          image: {{ include "pace-service.image" . }}
          imagePullPolicy: {{ .svc.image.pullPolicy | default "IfNotPresent" }}
          # The image's entrypoint (tini) stays; only the command changes.
          args: ["node", "dist/scripts/db.js", "run", {{ .name | quote }}]
          env:
            - name: LOG_LEVEL
              value: info
            {{- $dbRef := get (.svc.secretEnv | default dict) "DATABASE_URL" }}
            {{- if $dbRef }}
            - name: {{ $dbVar }}
              valueFrom:
                secretKeyRef:
                  name: {{ $dbRef.secret }}
                  key: {{ $dbRef.key }}
            {{- end }}
          resources:
            {{- toYaml .svc.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "pace-service.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end }}
{{- end }}

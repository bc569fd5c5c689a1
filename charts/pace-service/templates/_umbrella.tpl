{{/*
Entry point of an umbrella chart (pace-web, pace-ai): everything for each service listed under
.Values.services (merged over .Values.serviceDefaults), then the namespace-wide pieces.
Usage, in the umbrella's templates/: {{ include "pace-service.umbrella" . }}
*/}}
{{- define "pace-service.umbrella" -}}
{{- $root := . -}}
{{- if ne .Release.Namespace .Values.namespace }}
{{- fail (printf "chart %s installs into namespace %s, not %s (helm --namespace %s)" .Chart.Name .Values.namespace .Release.Namespace .Values.namespace) }}
{{- end }}
{{- range $name, $raw := .Values.services }}
{{- $svc := include "pace-service.merged" (dict "root" $root "svc" $raw) | fromYaml }}
{{- if $svc.enabled }}
{{- $ctx := dict "root" $root "name" $name "svc" $svc }}
---
{{ include "pace-service.serviceAccount" $ctx }}
---
{{ include "pace-service.configMap" $ctx }}
---
{{ include "pace-service.deployment" $ctx }}
---
{{ include "pace-service.service" $ctx }}
---
{{ include "pace-service.hpa" $ctx }}
---
{{ include "pace-service.pdb" $ctx }}
---
{{ include "pace-service.networkPolicy" $ctx }}
---
{{ include "pace-service.podMonitoring" $ctx }}
---
{{ include "pace-service.migrationJob" $ctx }}
{{- end }}
{{- end }}
---
{{ include "pace-service.ingress" . }}
{{ include "pace-service.pubsub" . }}
{{- range $secret, $data := .Values.devSecrets }}
---
# Local clusters only (values-local.yaml): in GKE these Secrets exist before the release.
apiVersion: v1
kind: Secret
metadata:
  name: {{ $secret }}
  namespace: {{ $root.Release.Namespace }}
type: Opaque
stringData:
  {{- toYaml $data | nindent 2 }}
{{- end }}
{{- end }}

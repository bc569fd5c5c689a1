{{/*
Helpers. Every per-service template receives a context dict:
  root  the umbrella's root context ($)
  name  the service name (key under .Values.services)
  svc   the service's values merged over .Values.serviceDefaults
*/}}

{{- define "pace-service.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: pace
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "pace-service.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* repository:tag, or repository:tag@digest when skaffold supplies a digest. */}}
{{- define "pace-service.image" -}}
{{- $image := .svc.image | default dict -}}
{{- $repo := required (printf "services.%s.image.repository is required" .name) $image.repository -}}
{{- $tag := $image.tag | default .root.Chart.AppVersion | default "latest" -}}
{{- if $image.digest -}}
{{- printf "%s:%s@%s" $repo $tag $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end }}

{{/* The Google service account a Kubernetes service account impersonates (Workload Identity). */}}
{{- define "pace-service.gsa" -}}
{{- $sa := .svc.serviceAccount | default dict -}}
{{- if $sa.gcpServiceAccount -}}
{{- $sa.gcpServiceAccount -}}
{{- else -}}
{{- printf "%s@%s.iam.gserviceaccount.com" .name (required "gcp.project is required" .root.Values.gcp.project) -}}
{{- end -}}
{{- end }}

{{/* Restricted container securityContext (Pod Security Standard "restricted"). */}}
{{- define "pace-service.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "pace-service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
The Cloud SQL Auth Proxy as a native sidecar (an init container with restartPolicy Always,
Kubernetes 1.29+): it starts before the service and, in the migration Job, stops by itself
once the migration container has exited. The service reaches the database on 127.0.0.1:5432.
*/}}
{{- define "pace-service.cloudSqlProxy" -}}
{{- $sql := .root.Values.cloudSql -}}
{{- $instance := .svc.cloudSqlInstance | default $sql.instance -}}
- name: cloud-sql-proxy
  image: {{ $sql.image }}
  restartPolicy: Always
  args:
    - --port=5432
    - --health-check
    - --http-address=0.0.0.0
    - --http-port=9801
    - --exit-zero-on-sigterm
    - --structured-logs
    {{- range $sql.extraArgs }}
    - {{ . }}
    {{- end }}
    - {{ required "cloudSql.instance (project:region:instance) is required when cloudSql.enabled" $instance | quote }}
  startupProbe:
    httpGet: { path: /startup, port: 9801 }
    periodSeconds: 1
    failureThreshold: 60
  livenessProbe:
    httpGet: { path: /liveness, port: 9801 }
    periodSeconds: 10
    failureThreshold: 3
  resources:
    {{- toYaml $sql.resources | nindent 4 }}
  securityContext:
    {{- include "pace-service.containerSecurityContext" . | nindent 4 }}
{{- end }}

{{/* Env vars read from existing Secrets: secretEnv maps VAR -> { secret, key }. */}}
{{- define "pace-service.secretEnv" -}}
{{- range $var, $ref := .secretEnv }}
- name: {{ $var }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "secretEnv.%s.secret is required" $var) $ref.secret }}
      key: {{ required (printf "secretEnv.%s.key is required" $var) $ref.key }}
{{- end }}
{{- end }}

{{/* Non-secret environment of a service: platform settings, then the service's own env. */}}
{{- define "pace-service.config" -}}
{{- $v := .root.Values -}}
{{- $env := dict
  "HOST" "0.0.0.0"
  "PORT" (toString .svc.port)
  "LOG_LEVEL" ($v.logLevel | default "info")
  "LOG_PRETTY" "false"
  "MIGRATE_ON_START" (ternary "false" "true" .svc.migrations.enabled)
  "EVENT_BUS" "pubsub"
  "EVENTS_MAX_DELIVERY_ATTEMPTS" (toString $v.pubsub.maxDeliveryAttempts)
  "EVENTS_PROVISION" (ternary "true" "false" (eq $v.pubsub.mode "emulator"))
-}}
{{- if $v.gcp.project }}
{{- $_ := set $env "GOOGLE_CLOUD_PROJECT" $v.gcp.project -}}
{{- /* On GKE spans go to Cloud Trace (the service account needs roles/cloudtrace.agent). */ -}}
{{- $_ := set $env "TRACE_EXPORTER" "cloud-trace" -}}
{{- $_ := set $env "TRACE_SAMPLE_RATIO" (toString (($v.tracing | default dict).sampleRatio | default 0.1)) -}}
{{- end -}}
{{- if .svc.grpcPort }}{{ $_ := set $env "GRPC_PORT" (toString .svc.grpcPort) }}{{ end -}}
{{- if eq $v.pubsub.mode "emulator" }}
{{- $_ := set $env "PUBSUB_EMULATOR_HOST" (required "pubsub.emulatorHost is required in emulator mode" $v.pubsub.emulatorHost) -}}
{{- $_ := set $env "METADATA_SERVER_DETECTION" "none" -}}
{{- end -}}
{{- range $k, $val := ($v.env | default dict) }}{{ $_ := set $env $k (toString $val) }}{{ end -}}
{{- range $k, $val := (.svc.env | default dict) }}{{ $_ := set $env $k (toString $val) }}{{ end -}}
{{- toYaml $env -}}
{{- end }}

{{/* The per-service values over serviceDefaults (deep merge; the service wins). */}}
{{- define "pace-service.merged" -}}
{{- $defaults := deepCopy (.root.Values.serviceDefaults | default dict) -}}
{{- toYaml (mergeOverwrite $defaults (deepCopy .svc)) -}}
{{- end }}

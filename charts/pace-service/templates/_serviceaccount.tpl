{{- define "pace-service.serviceAccountAnnotations" -}}
{{- if .root.Values.gcp.workloadIdentity }}
annotations:
  iam.gke.io/gcp-service-account: {{ include "pace-service.gsa" . }}
{{- end }}
{{- end }}

{{- define "pace-service.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
  {{- include "pace-service.serviceAccountAnnotations" . | nindent 2 }}
automountServiceAccountToken: false
{{- end }}

{{- define "pace-service.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .name }}-config
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
data:
  {{- include "pace-service.config" . | nindent 2 }}
{{- end }}

{{- define "pace-service.service" -}}
{{- $public := and .root.Values.ingress.enabled (.svc.ingress | default dict).paths -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
  {{- if $public }}
  annotations:
    # Container-native load balancing: the GKE Ingress sends traffic straight to pods.
    cloud.google.com/neg: '{"ingress": true}'
    cloud.google.com/backend-config: '{"default": "{{ .name }}"}'
  {{- end }}
spec:
  type: ClusterIP
  selector:
    {{- include "pace-service.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
    {{- with .svc.grpcPort }}
    # gRPC from the gateway (plaintext HTTP/2 inside the cluster network).
    - name: grpc
      port: {{ . }}
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
    {{- end }}
{{- if $public }}
---
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
spec:
  timeoutSec: {{ .svc.ingress.timeoutSec | default 60 }}
  connectionDraining:
    drainingTimeoutSec: 30
  healthCheck:
    type: HTTP
    requestPath: /health/ready
    port: {{ .svc.port }}
  {{- with .root.Values.ingress.securityPolicy }}
  securityPolicy:
    name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}

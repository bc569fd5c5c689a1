{{/*
Who may open connections to a service's pods: pods of its own namespace, the namespaces named in
networkPolicy.allowNamespaces (e.g. pace-ai calling the gateway), Google's load-balancer and
health-check ranges when the service is public, and Managed Prometheus (gmp-system) for /metrics.
*/}}
{{- define "pace-service.networkPolicy" -}}
{{- if .root.Values.networkPolicy.enabled }}
{{- $np := .svc.networkPolicy | default dict -}}
{{- $public := and .root.Values.ingress.enabled (.svc.ingress | default dict).paths -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "pace-service.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress"]
  ingress:
    - from:
        - podSelector: {}
        {{- range (concat (.root.Values.networkPolicy.allowNamespaces | default list) ($np.allowNamespaces | default list)) }}
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ . }}
        {{- end }}
        {{- if .root.Values.metrics.podMonitoring }}
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: gmp-system
        {{- end }}
        {{- if $public }}
        {{- range .root.Values.networkPolicy.loadBalancerRanges }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
        {{- if .svc.grpcPort }}
        - port: grpc
          protocol: TCP
        {{- end }}
{{- end }}
{{- end }}

{{/* Google Cloud Managed Prometheus scrapes GET /metrics of every pod of the service. */}}
{{- define "pace-service.podMonitoring" -}}
{{- if .root.Values.metrics.podMonitoring }}
apiVersion: monitoring.googleapis.com/v1
kind: PodMonitoring
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "pace-service.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .root.Values.metrics.interval }}
{{- end }}
{{- end }}

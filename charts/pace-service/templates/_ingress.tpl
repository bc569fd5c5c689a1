{{/*
One GKE Ingress (external Application Load Balancer) per umbrella for the public paths its
services declare under ingress.paths: the gateway's /api and /auth, and, as those services
arrive, /webhooks/* (Exotel, Property Finder, Google Calendar), /feeds (Bayut pulls the XML
feed) and /portal (the company website's read API).
*/}}
{{- define "pace-service.ingress" -}}
{{- $root := . -}}
{{- $ing := .Values.ingress -}}
{{- if $ing.enabled }}
{{- $rules := list -}}
{{- range $name, $raw := .Values.services }}
{{- $svc := include "pace-service.merged" (dict "root" $root "svc" $raw) | fromYaml }}
{{- if $svc.enabled }}
{{- range ($svc.ingress | default dict).paths }}
{{- $rules = append $rules (dict "path" . "service" $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- if $rules }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $ing.name }}
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/part-of: pace
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/managed-by: {{ .Release.Service }}
  annotations:
    kubernetes.io/ingress.class: gce
    kubernetes.io/ingress.allow-http: "false"
    {{- with $ing.staticIpName }}
    kubernetes.io/ingress.global-static-ip-name: {{ . }}
    {{- end }}
    {{- if $ing.managedCertificate }}
    networking.gke.io/managed-certificates: {{ $ing.name }}
    {{- end }}
spec:
  rules:
    - http:
        paths:
          {{- range $rules }}
          - path: {{ .path }}
            pathType: Prefix
            backend:
              service:
                name: {{ .service }}
                port:
                  name: http
          {{- end }}
      {{- with $ing.host }}
      host: {{ . }}
      {{- end }}
{{- if $ing.managedCertificate }}
---
apiVersion: networking.gke.io/v1
kind: ManagedCertificate
metadata:
  name: {{ $ing.name }}
  namespace: {{ .Release.Namespace }}
spec:
  domains:
    - {{ required "ingress.host is required for a managed certificate" $ing.host }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Pub/Sub as Config Connector resources (pubsub.mode: configConnector). Topics: one per domain a
service of this umbrella publishes, pace.<domain>.v1. Subscriptions: one per consuming service
and topic, <service>.<topic>, each with a dead-letter topic <subscription>.dlq (plus a
subscription on it, so dead letters are kept for inspection) and maxDeliveryAttempts. IAM: the
producer may publish to its topic, the consumer may pull its subscription, and Pub/Sub's own
service agent may forward to the dead-letter topic and ack the source subscription.
Topics owned by the other umbrella are referenced by their full name.
*/}}
{{- define "pace-service.pubsub.annotations" -}}
cnrm.cloud.google.com/project-id: {{ required "gcp.project is required" .Values.gcp.project }}
# Deleting the release must not delete topics, subscriptions or unconsumed messages.
cnrm.cloud.google.com/deletion-policy: abandon
{{- end }}

{{- define "pace-service.pubsub.iam" -}}
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  annotations:
    {{- include "pace-service.pubsub.annotations" .root | nindent 4 }}
spec:
  member: {{ .member }}
  role: {{ .role }}
  resourceRef:
    apiVersion: pubsub.cnrm.cloud.google.com/v1beta1
    kind: {{ .kind }}
    name: {{ .resource }}
{{- end }}

{{- define "pace-service.pubsub" -}}
{{- $root := . -}}
{{- $ps := .Values.pubsub -}}
{{- if eq $ps.mode "configConnector" }}
{{- $project := .Values.gcp.project -}}
{{- $agentEmail := printf "service-%v@gcp-sa-pubsub.iam.gserviceaccount.com" .Values.gcp.projectNumber -}}
{{- $local := dict -}}
{{- range $name, $raw := .Values.services }}
{{- $svc := include "pace-service.merged" (dict "root" $root "svc" $raw) | fromYaml }}
{{- if $svc.enabled }}
{{- range ($svc.events | default dict).publishes }}
{{- $topic := printf "pace.%s.v1" . }}
{{- $_ := set $local $topic $name }}
---
apiVersion: pubsub.cnrm.cloud.google.com/v1beta1
kind: PubSubTopic
metadata:
  name: {{ $topic }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    app.kubernetes.io/part-of: pace
    pace/producer: {{ $name }}
  annotations:
    {{- include "pace-service.pubsub.annotations" $root | nindent 4 }}
spec:
  messageRetentionDuration: {{ $ps.topicRetention }}
---
{{ include "pace-service.pubsub.iam" (dict "root" $root "name" (printf "%s.publisher.%s" $topic $name) "member" (printf "serviceAccount:%s" (include "pace-service.gsa" (dict "root" $root "name" $name "svc" $svc))) "role" "roles/pubsub.publisher" "kind" "PubSubTopic" "resource" $topic) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name, $raw := .Values.services }}
{{- $svc := include "pace-service.merged" (dict "root" $root "svc" $raw) | fromYaml }}
{{- if $svc.enabled }}
{{- $gsa := printf "serviceAccount:%s" (include "pace-service.gsa" (dict "root" $root "name" $name "svc" $svc)) }}
{{- range ($svc.events | default dict).consumes }}
{{- $agent := printf "serviceAccount:%s" (required "gcp.projectNumber is required for the dead-letter permissions of Pub/Sub's service agent" (ternary $agentEmail "" (not (empty $root.Values.gcp.projectNumber)))) }}
{{- $topic := . }}
{{- $sub := printf "%s.%s" $name $topic }}
{{- $dlq := printf "%s.dlq" $sub }}
---
apiVersion: pubsub.cnrm.cloud.google.com/v1beta1
kind: PubSubTopic
metadata:
  name: {{ $dlq }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    app.kubernetes.io/part-of: pace
    pace/dead-letter-of: {{ $sub }}
  annotations:
    {{- include "pace-service.pubsub.annotations" $root | nindent 4 }}
spec:
  messageRetentionDuration: {{ $ps.topicRetention }}
---
apiVersion: pubsub.cnrm.cloud.google.com/v1beta1
kind: PubSubSubscription
metadata:
  name: {{ $dlq }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    app.kubernetes.io/part-of: pace
    pace/dead-letter-of: {{ $sub }}
  annotations:
    {{- include "pace-service.pubsub.annotations" $root | nindent 4 }}
spec:
  topicRef:
    name: {{ $dlq }}
  ackDeadlineSeconds: 60
  messageRetentionDuration: {{ $ps.deadLetterRetention }}
  expirationPolicy:
    ttl: ""
---
apiVersion: pubsub.cnrm.cloud.google.com/v1beta1
kind: PubSubSubscription
metadata:
  name: {{ $sub }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    app.kubernetes.io/part-of: pace
    pace/consumer: {{ $name }}
  annotations:
    {{- include "pace-service.pubsub.annotations" $root | nindent 4 }}
spec:
  topicRef:
    {{- if hasKey $local $topic }}
    name: {{ $topic }}
    {{- else }}
    external: {{ printf "projects/%s/topics/%s" $project $topic }}
    {{- end }}
  ackDeadlineSeconds: {{ $ps.ackDeadlineSeconds }}
  messageRetentionDuration: {{ $ps.subscriptionRetention }}
  # Consumers order by aggregateVersion, not by the broker, so every subscription keeps its
  # dead-letter policy (see STACK.md on ordering + dead letters).
  enableMessageOrdering: false
  expirationPolicy:
    ttl: ""
  retryPolicy:
    minimumBackoff: {{ $ps.minimumBackoff }}
    maximumBackoff: {{ $ps.maximumBackoff }}
  deadLetterPolicy:
    deadLetterTopicRef:
      name: {{ $dlq }}
    maxDeliveryAttempts: {{ $ps.maxDeliveryAttempts }}
---
{{ include "pace-service.pubsub.iam" (dict "root" $root "name" (printf "%s.subscriber.%s" $sub $name) "member" $gsa "role" "roles/pubsub.subscriber" "kind" "PubSubSubscription" "resource" $sub) }}
---
{{ include "pace-service.pubsub.iam" (dict "root" $root "name" (printf "%s.publisher.%s" $dlq $name) "member" $gsa "role" "roles/pubsub.publisher" "kind" "PubSubTopic" "resource" $dlq) }}
---
{{ include "pace-service.pubsub.iam" (dict "root" $root "name" (printf "%s.publisher.pubsub-agent" $dlq) "member" $agent "role" "roles/pubsub.publisher" "kind" "PubSubTopic" "resource" $dlq) }}
---
{{ include "pace-service.pubsub.iam" (dict "root" $root "name" (printf "%s.subscriber.pubsub-agent" $sub) "member" $agent "role" "roles/pubsub.subscriber" "kind" "PubSubSubscription" "resource" $sub) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

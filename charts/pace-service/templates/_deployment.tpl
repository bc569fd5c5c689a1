{{- define "pace-service.deployment" -}}
{{- $svc := .svc -}}
{{- $root := .root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "pace-service.labels" . | nindent 4 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 25%
  selector:
    matchLabels:
      {{- include "pace-service.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "pace-service.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "pace-service.config" . | sha256sum }}
    spec:
      serviceAccountName: {{ .name }}
      # Workload Identity goes through the GKE metadata server; no API token is needed in the pod.
      automountServiceAccountToken: false
      # Longer than the preStop pause plus SHUTDOWN_TIMEOUT_MS, so in-flight work can finish.
      terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
      securityContext:
        {{- include "pace-service.podSecurityContext" . | nindent 8 }}
      {{- if $root.Values.cloudSql.enabled }}
      initContainers:
        {{- include "pace-service.cloudSqlProxy" . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "pace-service.image" . }}
          imagePullPolicy: {{ $svc.image.pullPolicy | default "IfNotPresent" }}
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
            {{- with $svc.grpcPort }}
            - name: grpc
              containerPort: {{ . }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ .name }}-config
          {{- with $svc.secretEnv }}
          env:
            {{- include "pace-service.secretEnv" (dict "secretEnv" .) | trim | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /health/ready, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          lifecycle:
            # Keep serving while the endpoint removal reaches every load balancer.
            preStop:
              exec:
                command: ["sleep", "5"]
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- include "pace-service.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "pace-service.selectorLabels" . | nindent 14 }}
{{- end }}

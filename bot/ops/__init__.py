"""Running the service: metrics, logs and error alerts, the health check, backups, doctor."""

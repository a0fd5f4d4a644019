"""The application shell: the circlebot command, the web app, configuration."""

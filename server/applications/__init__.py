"""Online applications (办件): submission, parallel approval by departments, deadlines, certificates, 好差评."""

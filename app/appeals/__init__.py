"""互动交流: consultations, complaints, suggestions and reports to departments."""

"""The network of circles: courses as shared records ranked by how past circles went, the
end-of-circle survey, and the course commons (tips and resources passed to the next circle)."""
